"""A local stand-in for the Telegram Bot API, for tests, benchmarks and demos.

It answers what the bot calls the way api.telegram.org does (getMe, sendMessage, sendPhoto,
editMessageText, editMessageReplyMarkup, answerCallbackQuery, getUpdates with long polling,
setWebhook, deleteWebhook, getWebhookInfo, getFile), records every call (a method the bot
names in its answer to a webhook request too, which Telegram performs), and can be told to
fail like Telegram: 429 with retry_after, 403 for a bot the user blocked, 5xx.

Point the bot at it with TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot. For a demo, run
`python -m tests.bot.local_api` from the repository and play the citizen with two extra endpoints:
    POST /_local/send        {"chat_id": 1, "text": "/start"}   (or "location": {"lat", "lon"},
                             or "photo": "caption", or "press": "<button label>")
    GET  /_local/chat/{id}   the conversation so far
Updates go to the bot by getUpdates, or to its webhook once one is set.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import httpx
import uvicorn
from litestar import Litestar, Request, Response, get, post, route
from litestar.datastructures import UploadFile
from litestar.params import FromPath, JSONBody

from tests.ports import free_port

BOT_USER = {
    "id": 700000001,
    "is_bot": True,
    "first_name": "ingatkan",
    "username": "ingatkan_local_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Parameters PTB sends as plain strings; every other form value is JSON-encoded.
_TEXT_PARAMETERS = frozenset(
    {"text", "caption", "callback_query_id", "url", "secret_token", "photo", "file_id"}
)
_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    status: int  # the HTTP status it was answered with
    # Named in the bot's answer to a webhook request, not a request of its own.
    carried: bool = False


@dataclass(frozen=True)
class Upload:
    """A file the bot sent as a part of a multipart form."""

    filename: str | None
    content: bytes


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass
class LocalBotApi:
    """One fake Telegram. `start()` serves it on 127.0.0.1 at a free port."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    _updates: deque[dict[str, Any]] = field(default_factory=deque)
    _faults: dict[str, deque[_Fault]] = field(default_factory=dict)
    _blocked: set[int] = field(default_factory=set)
    _update_ids: Iterator[int] = field(default_factory=lambda: count(1))
    _message_ids: Iterator[int] = field(default_factory=lambda: count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _served: Served | None = None
    transcript: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    # --- running -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be."""
        assert self._served is not None, "start() first"
        return f"{self._served.url}/bot"

    async def start(self, *, port: int = 0) -> LocalBotApi:
        self._served = await Served.start(self.app(), port=port)
        return self

    async def stop(self) -> None:
        if self._served:
            self._served.server.should_exit = True
            async with self._changed:
                self._changed.notify_all()  # wake long polls so the server can close
            await self._served.stop()

    async def serve_forever(self) -> None:
        assert self._served is not None, "start() first"
        await self._served.task

    # --- what a test does ------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    async def push(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates. Without an update_id it gets the next one: Telegram
        numbers updates in the order it hands them out, and getUpdates' offset relies on it."""
        if not update.get("update_id"):
            update["update_id"] = self.next_update_id()
        self._note_citizen(update)
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    async def webhook_answered(self, response: httpx.Response) -> None:
        """What Telegram does with the bot's answer to a webhook request: performs the method
        it names, if any (as a call of the bot, recorded with the others)."""
        if response.status_code != 200:
            return
        carried = response.json()
        method = carried.pop("method", None) if isinstance(carried, dict) else None
        if isinstance(method, str):
            await self._answer(method, carried, carried=True)

    def fail(
        self,
        method: str,
        *,
        status: int,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with this error."""
        text = description or _DESCRIPTIONS.get(status, "Error").format(retry_after=retry_after)
        self._faults.setdefault(method, deque()).append(
            _Fault(status=status, description=text, retry_after=retry_after, times=times)
        )

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every message to them is refused with 403."""
        self._blocked.add(chat_id)

    def sent(self, chat_id: int | None = None, *, method: str | None = None) -> list[Call]:
        """Successful calls that put something in a chat (or in `chat_id`'s chat)."""
        methods = {method} if method else {"sendMessage", "sendPhoto"}
        return [
            call
            for call in self.calls
            if call.method in methods
            and call.status == 200
            and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    def attempts(self, method: str, chat_id: int | None = None) -> list[Call]:
        """Every call of `method`, whatever it was answered."""
        return [
            call
            for call in self.calls
            if call.method == method and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    def inline_button(self, chat_id: int, label: str) -> tuple[dict[str, Any], str]:
        """The newest message in the chat still showing an inline button `label`, and its data."""
        for (chat, _), message in sorted(
            self.messages.items(), key=lambda item: item[0][1], reverse=True
        ):
            if chat != chat_id:
                continue
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == label:
                        return message, button["callback_data"]
        raise LookupError(f"no message to {chat_id} shows a button {label!r}")

    async def wait_for(self, condition: Callable[[], bool], *, seconds: float = 10.0) -> None:
        """Wait until `condition()` holds, checking after each call the bot makes."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), seconds)

    # --- the HTTP side -----------------------------------------------------------------

    def app(self) -> Litestar:
        @route("/{path:path}", http_method=["GET", "POST"])
        async def bot_api(request: Request[Any, Any, Any], path: FromPath[str]) -> Response[Any]:
            token_and_method = path.strip("/")
            if not token_and_method.startswith("bot") or "/" not in token_and_method:
                return _error(404, "Not Found")
            method = token_and_method.rsplit("/", 1)[1]
            return await self._answer(method, await _parameters(request))

        @post("/_local/send")
        async def send(data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
            update = self._demo_update(data)
            if self.webhook_url:
                await self._post_to_webhook(update)
            else:
                await self.push(update)
            return {"update_id": update["update_id"]}

        @get("/_local/chat/{chat_id:int}")
        async def chat(chat_id: FromPath[int]) -> list[dict[str, Any]]:
            return self.transcript.get(chat_id, [])

        return Litestar(route_handlers=[send, chat, bot_api], debug=False)

    async def _answer(
        self, method: str, params: dict[str, Any], *, carried: bool = False
    ) -> Response[Any]:
        faults = self._faults.get(method)
        if faults:
            fault = faults[0]
            fault.times -= 1
            if fault.times <= 0:
                faults.popleft()
            await self._record(method, params, fault.status, carried)
            return _error(fault.status, fault.description, retry_after=fault.retry_after)
        chat_id = params.get("chat_id")
        if method in {"sendMessage", "sendPhoto"} and chat_id in self._blocked:
            await self._record(method, params, 403, carried)
            return _error(403, _DESCRIPTIONS[403])
        if method == "getUpdates":
            result: Any = await self._get_updates(params)
            await self._record(method, params, 200, carried)
            return _ok(result)
        handler = _METHODS.get(method)
        if handler is None:
            await self._record(method, params, 404, carried)
            return _error(404, "Not Found: method not found")
        try:
            result = handler(self, params)
        except _BadRequest as error:
            await self._record(method, params, 400, carried)
            return _error(400, f"Bad Request: {error}")
        await self._record(method, params, 200, carried)
        return _ok(result)

    async def _record(
        self, method: str, params: dict[str, Any], status: int, carried: bool = False
    ) -> None:
        async with self._changed:
            self.calls.append(Call(method, params, status, carried))
            self._changed.notify_all()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()  # confirmed by the offset
                if self._updates or self._served is None or self._served.server.should_exit:
                    return list(self._updates)[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    # --- Bot API methods -----------------------------------------------------------------

    def _new_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        markup = content.pop("reply_markup", None)
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT_USER,
            **{key: value for key, value in content.items() if value is not None},
        }
        # A message carries only inline buttons; a reply keyboard belongs to the chat.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        self.transcript.setdefault(chat_id, []).append(
            {
                "from": "bot",
                "text": content.get("text") or content.get("caption"),
                "buttons": _labels(markup),
            }
        )
        return message

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._new_message(
            int(params["chat_id"]), text=params["text"], reply_markup=params.get("reply_markup")
        )

    def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        # An uploaded photo gets a file id of its own, as Telegram gives one.
        file_id = params["photo"] if isinstance(params["photo"], str) else f"up{len(self.calls)}"
        photo = [{"file_id": file_id, "file_unique_id": "u1", "width": 1280, "height": 960}]
        return self._new_message(
            int(params["chat_id"]),
            photo=photo,
            caption=params.get("caption"),
            reply_markup=params.get("reply_markup"),
        )

    def _edit(self, params: dict[str, Any], **changes: Any) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise _BadRequest("message to edit not found")
        if all(message.get(name) == value for name, value in changes.items()):
            raise _BadRequest("message is not modified")
        for name, value in changes.items():
            if value is None:
                message.pop(name, None)
            else:
                message[name] = value
        return message

    def _edit_text(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params, text=params["text"], reply_markup=params.get("reply_markup"))

    def _edit_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params, reply_markup=params.get("reply_markup"))

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = params["url"]
        self.webhook_secret = params.get("secret_token")
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = self.webhook_secret = None
        return True

    def _webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": 1024,
            "file_path": f"photos/{file_id}.jpg",
        }

    # --- playing the citizen (demo) ----------------------------------------------------

    def _note_citizen(self, update: dict[str, Any]) -> None:
        message = update.get("message") or update.get("edited_message")
        if message:
            chat_id = message["chat"]["id"]
            said = message.get("text") or message.get("caption") or _kind(message)
        elif "callback_query" in update:
            query = update["callback_query"]
            chat_id = query["message"]["chat"]["id"]
            said = f"[{query.get('data')}]"
        else:
            return
        self.transcript.setdefault(chat_id, []).append({"from": "citizen", "text": said})

    def _demo_update(self, data: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(data["chat_id"])
        update_id = self.next_update_id()
        if "press" in data:
            message, callback_data = self.inline_button(chat_id, str(data["press"]))
            return callback_update(update_id, chat_id, message, callback_data)
        if "location" in data:
            point = data["location"]
            return message_update(
                update_id,
                chat_id,
                location={"latitude": float(point["lat"]), "longitude": float(point["lon"])},
            )
        if "photo" in data:
            return message_update(
                update_id, chat_id, photo=photo_sizes(f"demo-{update_id}"), caption=data["photo"]
            )
        return message_update(update_id, chat_id, text=str(data.get("text", "")))

    async def _post_to_webhook(self, update: dict[str, Any]) -> None:
        self._note_citizen(update)
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(str(self.webhook_url), json=update, headers=headers)
        await self.webhook_answered(response)


class _BadRequest(Exception):
    pass


# Another process may take a free port between the probe and the bind; try a few.
_BIND_ATTEMPTS = 5


@dataclass
class Served:
    """An ASGI app served over HTTP on 127.0.0.1 inside the running event loop, lifespan
    included; port 0 picks a free port."""

    server: uvicorn.Server
    task: asyncio.Task[None]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    async def start(cls, app: Litestar, *, port: int = 0) -> Served:
        # uvicorn binds the port itself: on a socket handed to it, its connections go
        # without TCP_NODELAY and every request waits out a 40 ms delayed ACK.
        for _ in range(_BIND_ATTEMPTS if port == 0 else 1):
            chosen = port or free_port()
            config = uvicorn.Config(
                app, host="127.0.0.1", port=chosen, log_level="warning", timeout_graceful_shutdown=1
            )
            server = uvicorn.Server(config)
            task = asyncio.create_task(server.serve())
            while not task.done():
                if server.started:
                    return cls(server=server, task=task, port=chosen)
                await asyncio.sleep(0.005)
            with contextlib.suppress(SystemExit):  # uvicorn exits when the port is taken
                await task
        raise OSError(f"could not serve on 127.0.0.1:{port or 'any free port'}")

    async def stop(self) -> None:
        self.server.should_exit = True
        await self.task


_METHODS: dict[str, Callable[[LocalBotApi, dict[str, Any]], Any]] = {
    "getMe": lambda api, params: BOT_USER,
    "sendMessage": LocalBotApi._send_message,
    "sendPhoto": LocalBotApi._send_photo,
    "editMessageText": LocalBotApi._edit_text,
    "editMessageReplyMarkup": LocalBotApi._edit_markup,
    "answerCallbackQuery": lambda api, params: True,
    "setWebhook": LocalBotApi._set_webhook,
    "deleteWebhook": LocalBotApi._delete_webhook,
    "getWebhookInfo": LocalBotApi._webhook_info,
    "getFile": LocalBotApi._get_file,
    "setMyCommands": lambda api, params: True,
    "close": lambda api, params: True,
    "logOut": lambda api, params: True,
}


async def _parameters(request: Request[Any, Any, Any]) -> dict[str, Any]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip()
    if media_type == "application/json":
        body = await request.body()
        return json.loads(body) if body else {}
    if media_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        form = await request.form()
        return {
            key: Upload(value.filename, await value.read())
            if isinstance(value, UploadFile)
            else _decode(key, value)
            for key, value in form.items()
        }
    return dict(request.query_params)


def _decode(key: str, value: Any) -> Any:
    if key in _TEXT_PARAMETERS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _ok(result: Any) -> Response[Any]:
    return Response({"ok": True, "result": result}, status_code=200)


def _error(status: int, description: str, *, retry_after: int | None = None) -> Response[Any]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return Response(body, status_code=status)


def _labels(markup: Any) -> list[str]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [
        button["text"] if isinstance(button, dict) else str(button)
        for row in rows
        for button in row
    ]


def _kind(message: dict[str, Any]) -> str:
    for kind in ("photo", "location", "sticker", "voice", "document"):
        if kind in message:
            return f"[{kind}]"
    return "[message]"


# --- updates as Telegram sends them ------------------------------------------------------

_message_numbers = count(1_000_000)


def user(chat_id: int, *, first_name: str = "Warga", language_code: str = "id") -> dict[str, Any]:
    return {
        "id": abs(chat_id),
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


def chat(chat_id: int, *, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": "Warga"}
    return {"id": chat_id, "type": kind, "title": "Grup Warga RW 05"}


def message_update(
    update_id: int,
    chat_id: int,
    *,
    chat_kind: str = "private",
    edited: bool = False,
    sender: int | None = None,
    language_code: str = "id",
    **content: Any,
) -> dict[str, Any]:
    """An update carrying a message with `content` (text=..., photo=..., location=...), from a
    user whose Telegram app is in `language_code`."""
    message = {
        "message_id": next(_message_numbers),
        "date": int(time.time()),
        "chat": chat(chat_id, kind=chat_kind),
        "from": user(sender or chat_id, language_code=language_code),
        **content,
    }
    if chat_kind == "channel":
        message.pop("from")
        return {"update_id": update_id, "channel_post": message}
    if edited:
        message["edit_date"] = int(time.time())
        return {"update_id": update_id, "edited_message": message}
    return {"update_id": update_id, "message": message}


def photo_sizes(file_id: str) -> list[dict[str, Any]]:
    """Telegram sends each photo in several sizes, the largest last."""
    return [
        {"file_id": f"{file_id}-s", "file_unique_id": f"{file_id}-us", "width": 90, "height": 67},
        {"file_id": file_id, "file_unique_id": f"{file_id}-u", "width": 1280, "height": 960},
    ]


def callback_update(
    update_id: int, chat_id: int, message: dict[str, Any], data: str
) -> dict[str, Any]:
    """The update Telegram sends when the user presses an inline button under `message`."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(next(_message_numbers)),
            "from": user(chat_id),
            "chat_instance": f"ci-{chat_id}",
            "data": data,
            "message": {
                "message_id": message["message_id"],
                "date": message["date"],
                "chat": message["chat"],
                "from": BOT_USER,
                "text": message.get("text", ""),
            },
        },
    }


def _main() -> None:
    parser = argparse.ArgumentParser(description="A local Telegram Bot API for demos.")
    parser.add_argument("--port", type=int, default=8081)
    port = parser.parse_args().port

    async def serve() -> None:
        api = await LocalBotApi().start(port=port)
        print(f"TELEGRAM_API_BASE_URL={api.base_url}  (any TELEGRAM_BOT_TOKEN works)")
        await api.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    _main()
