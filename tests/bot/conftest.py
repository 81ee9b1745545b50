"""The bot against a local Telegram Bot API server: the real PTB application, its real HTTP
stack, the real web app and database. Updates arrive as Telegram sends them, through the
webhook (most tests) or by long polling; what the bot sent back is read from the server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from config.settings import Settings
from core.routing.decision import Router
from tests.bot.local_api import (
    Call,
    LocalBotApi,
    Served,
    callback_update,
    message_update,
    photo_sizes,
)
from tests.helpers import FixedRouter

TOKEN = "123456:TEST-token-for-the-local-api"
SECRET = "local-webhook-secret_123"


def bot_settings(database_url: str, api: LocalBotApi, *, webhook: bool = True) -> Settings:
    return Settings(
        database_url=database_url,
        rate_limit=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=api.base_url,
        telegram_webhook_secret=SECRET if webhook else None,
    )


@pytest.fixture
async def telegram_api() -> AsyncIterator[LocalBotApi]:
    api = await LocalBotApi().start()
    yield api
    await api.stop()


class WebApp:
    """The whole web app with the bot in webhook mode, served over HTTP in the test's event
    loop (so the test reads the same database). `restart()` stops it and starts a fresh one,
    as a deploy would."""

    def __init__(self, database_url: str, api: LocalBotApi, router: Router) -> None:
        self.database_url = database_url
        self.api = api
        self.router = router
        self.served: Served | None = None
        self.client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        app = create_app(bot_settings(self.database_url, self.api), router=self.router)
        self.served = await Served.start(app)
        self.client = httpx.AsyncClient(base_url=self.served.url, timeout=30)

    async def stop(self) -> None:
        if self.client and self.served:
            await self.client.aclose()
            await self.served.stop()
            self.client = self.served = None

    async def restart(self, *, router: Router | None = None) -> None:
        await self.stop()
        self.router = router or self.router
        await self.start()

    async def post_update(self, update: dict[str, Any], *, secret: str | None = SECRET) -> Any:
        assert self.client is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = await self.client.post("/telegram/webhook", json=update, headers=headers)
        await self.api.webhook_answered(response)
        return response

    async def deliver(self, update: dict[str, Any]) -> None:
        response = await self.post_update(update)
        assert response.status_code == 200, response.text


@pytest.fixture
async def web(database_url: str, telegram_api: LocalBotApi) -> AsyncIterator[WebApp]:
    """The app in webhook mode; new reports go to DPUPRPKP, as a confident classifier would."""
    app = WebApp(database_url, telegram_api, FixedRouter("DPUPRPKP"))
    await app.start()
    yield app
    await app.stop()


class Person:
    """A Telegram user talking to the bot in a private chat."""

    def __init__(self, web: WebApp, chat_id: int) -> None:
        self.web = web
        self.api = web.api
        self.chat_id = chat_id

    async def sends_update(self, update: dict[str, Any]) -> list[str]:
        """Deliver one update; the texts the bot sent to this chat in answer."""
        before = len(self.api.calls)
        await self.web.deliver(update)
        return [
            call.params["text"]
            for call in self.api.calls[before:]
            if call.method == "sendMessage" and call.params.get("chat_id") == self.chat_id
        ]

    def _new_id(self) -> int:
        return self.api.next_update_id()

    async def says(self, text: str) -> list[str]:
        return await self.sends_update(message_update(self._new_id(), self.chat_id, text=text))

    async def sends_photo(
        self, caption: str | None = None, *, file_id: str = "photo-1"
    ) -> list[str]:
        content: dict[str, Any] = {"photo": photo_sizes(file_id)}
        if caption is not None:
            content["caption"] = caption
        return await self.sends_update(message_update(self._new_id(), self.chat_id, **content))

    async def shares_location(self, latitude: float, longitude: float) -> list[str]:
        location = {"latitude": latitude, "longitude": longitude}
        return await self.sends_update(
            message_update(self._new_id(), self.chat_id, location=location)
        )

    async def sends(self, **content: Any) -> list[str]:
        return await self.sends_update(message_update(self._new_id(), self.chat_id, **content))

    async def edits(self, text: str) -> list[str]:
        update = message_update(self._new_id(), self.chat_id, text=text, edited=True)
        return await self.sends_update(update)

    async def presses(self, label: str) -> list[str]:
        message, data = self.api.inline_button(self.chat_id, label)
        return await self.sends_update(callback_update(self._new_id(), self.chat_id, message, data))

    async def reports(self, text: str, *, privacy: str = "Publik") -> str:
        """Make a whole report (the text must not resemble a city policy); its code."""
        await self.says(text)
        await self.says("➡️ Lanjut")
        await self.presses(privacy)
        replies = await self.presses("✅ Kirim")
        found = re.search(r"MLG-[A-Z0-9]{6}", "\n".join(replies))
        assert found, replies
        return found.group(0)

    def last_answer(self) -> Call:
        """The last answerCallbackQuery the bot made."""
        return [call for call in self.api.calls if call.method == "answerCallbackQuery"][-1]

    def keyboard(self) -> list[str]:
        """The labels of the reply keyboard the bot showed last in this chat."""
        for call in reversed(self.api.sent(self.chat_id, method="sendMessage")):
            markup = call.params.get("reply_markup") or {}
            if "keyboard" in markup:
                return [
                    button["text"] if isinstance(button, dict) else button
                    for row in markup["keyboard"]
                    for button in row
                ]
        return []


@pytest.fixture
def ani(web: WebApp) -> Person:
    return Person(web, 5001)


@pytest.fixture
def budi(web: WebApp) -> Person:
    return Person(web, 5002)
