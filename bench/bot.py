"""Updates per second through the whole bot in webhook mode, against the bare stack in the
same run.

A crowd of citizens writes at once: each makes one whole report in four updates (the text,
"Continue", a privacy button, "Send"), `--concurrency` citizens at a time, posted to
/telegram/webhook as Telegram does. The bot handles each one with PTB's HTTP stack, the
conversation state's compare-and-set in the database, the report written, and every answer
sent to a local Bot API server (tests/bot/local_api.py), with Telegram's flood limits off:
they would cap the figure at Telegram's own rate, which says nothing about the bot.

Each figure runs the web app in `--replicas` separate processes sharing the database (and the
conversation state in it); one citizen's updates go to the replicas in turn, so every step
of a conversation is taken on a different replica than the step before. The reference, in
the same run and the same number of processes, is the bare stack: the same updates to a bare
Litestar route handing them to a PTB application whose one handler answers each with one
message. This process plays Telegram (the local Bot API server and the webhook client) for
both, so the reference's rate is also the ceiling of this harness on this machine.

    .venv/bin/python -m bench.bot [--citizens 300] [--replicas 1 2] [--concurrency 32]
                                  [--database-url URL]   (default: a fresh SQLite file)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from litestar import Litestar, Request, get, post
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from api.app import create_app
from bot.runtime import WEBHOOK_PATH, build_application, running
from config.settings import Settings
from db import engine as db_engine
from db.migrate import migrate
from db.tables import Report
from tests.bot.local_api import LocalBotApi, callback_update, chat, message_update
from tests.helpers import FixedRouter
from tests.ports import free_port

# The local Bot API takes any token and secret.
TOKEN = "123456:bench"  # noqa: S105
SECRET = "bench-secret"  # noqa: S105
TEXT = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali ({n})"
GOAL = 150  # updates a second (issue 18)


def conversation(chat_id: int) -> list[dict[str, Any]]:
    """The four updates of one citizen's report, numbered when they are handed out. The
    buttons' message is only ever edited by the bot, so any message of the chat serves."""
    message = {"message_id": 1, "date": int(time.time()), "chat": chat(chat_id)}
    return [
        message_update(0, chat_id, text=TEXT.format(n=chat_id)),
        message_update(0, chat_id, text="➡️ Lanjut"),
        callback_update(0, chat_id, message, "pv:public"),
        callback_update(0, chat_id, message, "ok:send"),
    ]


def settings_for(database_url: str, api_base_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        rate_limit=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=api_base_url,
        telegram_webhook_secret=SECRET,
    )


def bare_app(settings: Settings) -> Litestar:
    """The reference: a webhook route and a PTB application answering each update with one
    message; no database, no middleware."""
    application = build_application(settings, router=FixedRouter("DPUPRPKP"), polling=False)
    application.handlers.clear()

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, "ok")

    application.add_handler(TypeHandler(Update, answer))

    @post(WEBHOOK_PATH, status_code=200)
    async def webhook(request: Request[Any, Any, Any]) -> dict[str, bool]:
        update = Update.de_json(await request.json(), application.bot)
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        return {"ok": True}

    @get("/health")
    async def health() -> dict[str, bool]:
        return {"ok": True}

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with running(application, polling=False):
            yield

    return Litestar([webhook, health], lifespan=[lifespan])


def serve(kind: str, port: int, database_url: str, api_base_url: str) -> None:
    """One replica (a child process of this benchmark)."""
    settings = settings_for(database_url, api_base_url)
    app = (
        bare_app(settings)
        if kind == "bare"
        else create_app(settings, router=FixedRouter("DPUPRPKP"))
    )
    # Keep-alive longer than any pause of the crowd: a connection closed by the server just
    # as the client reuses it would fail the request.
    uvicorn.run(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
        timeout_keep_alive=120,
    )  # fmt: skip


class Replicas:
    """The replicas' URLs, and the processor seconds their processes have used so far."""

    def __init__(self, urls: list[str], pids: list[int]) -> None:
        self.urls = urls
        self.pids = pids

    def cpu_seconds(self) -> float:
        ticks = 0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / os.sysconf("SC_CLK_TCK")


@contextlib.asynccontextmanager
async def replicas(
    kind: str, count: int, database_url: str, api: LocalBotApi, log: Path
) -> AsyncIterator[Replicas]:
    ports = [free_port() for _ in range(count)]
    with log.open("ab") as output:
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.bot", "--serve", kind, str(port), database_url,
                api.base_url, stdout=output, stderr=subprocess.STDOUT,
            )
            for port in ports
        ]  # fmt: skip
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            for url in urls:
                for _ in range(600):
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get(f"{url}/health")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                else:
                    raise RuntimeError(f"a {kind} replica did not start; see {log}")
        yield Replicas(urls, [process.pid for process in processes])
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            await process.wait()


async def crowd(
    api: LocalBotApi, served: Replicas, first_chat: int, citizens: int, concurrency: int
) -> tuple[float, float]:
    """Seconds for every citizen's four updates, each update to the next replica in turn,
    and the processor seconds the replicas used meanwhile."""
    urls = served.urls
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    waiting = [conversation(first_chat + n) for n in range(citizens)]
    turn = itertools.cycle(urls)
    limits = httpx.Limits(max_connections=concurrency * len(urls))
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def citizen() -> None:
            while waiting:
                for update in waiting.pop():
                    update["update_id"] = api.next_update_id()
                    url = f"{next(turn)}{WEBHOOK_PATH}"
                    response = await client.post(url, json=update, headers=headers)
                    response.raise_for_status()
                    await api.webhook_answered(response)

        cpu, started = served.cpu_seconds(), time.perf_counter()
        await asyncio.gather(*(citizen() for _ in range(concurrency)))
        return time.perf_counter() - started, served.cpu_seconds() - cpu


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=300)
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=32, help="citizens at once")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        log = Path(scratch) / "replicas.log"
        engine = db_engine.create_engine(url)
        db_engine.bind(engine)
        await db_engine.start(engine)
        api = await LocalBotApi().start()
        # New chats in each run, so a database kept from an earlier run serves as well.
        first_chat = 10_000_000 + int(time.time()) % 1_000_000 * 1_000
        try:
            await migrate()
            for count in args.replicas:
                async with replicas("bare", count, url, api, log) as served:
                    bare, bare_cpu = await crowd(
                        api, served, first_chat, args.citizens, args.concurrency
                    )
                first_chat += args.citizens
                before, calls_before = await Report.count(), len(api.calls)
                async with replicas("ingatkan", count, url, api, log) as served:
                    ours, ours_cpu = await crowd(
                        api, served, first_chat, args.citizens, args.concurrency
                    )
                first_chat += args.citizens
                written = await Report.count() - before
                updates = 4 * args.citizens
                made = api.calls[calls_before:]
                calls = sum(not call.carried for call in made)
                print(
                    json.dumps(
                        {
                            "engine": "sqlite" if url.startswith("sqlite") else "postgresql",
                            "replicas": count,
                            "citizens": args.citizens,
                            "updates": updates,
                            "bare_updates_per_second": round(updates / bare, 1),
                            "updates_per_second": round(updates / ours, 1),
                            "ratio": round(bare / ours, 2),
                            # Processor time of the replicas per update: what a shared, busy
                            # machine does not blur, and what one core sustains.
                            "bare_cpu_ms_per_update": round(1000 * bare_cpu / updates, 2),
                            "cpu_ms_per_update": round(1000 * ours_cpu / updates, 2),
                            "updates_per_second_per_core": round(updates / ours_cpu, 1),
                            # The bare reference makes one call to Telegram an update.
                            "telegram_calls_per_update": round(calls / updates, 2),
                            # Methods Telegram performed from the webhook's answers.
                            "carried_per_update": round((len(made) - calls) / updates, 2),
                            "goal_updates_per_second": GOAL,
                            "reports_written": written,
                        }
                    ),
                    flush=True,
                )
                if written != args.citizens:
                    print(log.read_text()[-3000:], file=sys.stderr)
                    raise SystemExit("every citizen's report must be in the database")
        finally:
            await api.stop()
            await db_engine.stop(engine)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        asyncio.run(main())
