"""Updates per second through the whole bot: PTB's HTTP stack and handler, the conversation
state's compare-and-set, the report written to the database, every answer sent to a local
Bot API server (tests/bot/local_api.py).

Each simulated citizen makes one whole report in four updates (the text, "Continue", a
privacy button, "Send"), citizens interleaved. Telegram's flood limits are off: they would
cap the figure at Telegram's 30 messages a second, which says nothing about the bot.

    .venv/bin/python -m bench.bot [--citizens 300] [--mode polling|webhook]
                                  [--concurrency 16] [--database-url URL]

polling: one process polls getUpdates, as `ingatkan bot` does; updates are handled in order.
webhook: the web app takes updates on /telegram/webhook, `--concurrency` requests at a time
(one citizen's updates never overlap, as Telegram sends them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from api.app import create_app
from bot.runtime import build_application, running
from config.settings import Settings
from core.routing.decision import Router
from db import engine as db_engine
from db.migrate import migrate
from db.tables import Report
from tests.bot.local_api import LocalBotApi, Served, callback_update, chat, message_update
from tests.helpers import FixedRouter

# The local Bot API takes any token and secret.
TOKEN = "123456:bench"  # noqa: S105
SECRET = "bench-secret"  # noqa: S105
TEXT = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali ({n})"
FIRST_CHAT = 10_000


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


def confirmations(api: LocalBotApi) -> int:
    return sum(1 for call in api.sent() if call.params["text"].startswith("Laporan terkirim"))


async def polling(settings: Settings, api: LocalBotApi, citizens: int, router: Router) -> float:
    application = build_application(settings, router=router, polling=True, flood_limits=False)
    chats = [conversation(FIRST_CHAT + n) for n in range(citizens)]
    async with running(application, polling=True):
        started = time.perf_counter()
        for round_ in zip(*chats, strict=True):  # interleaved: everyone's first step, then ...
            for update in round_:
                await api.push(update)
        await api.wait_for(lambda: confirmations(api) >= citizens, seconds=600)
        return time.perf_counter() - started


async def webhook(
    settings: Settings, api: LocalBotApi, citizens: int, router: Router, concurrency: int
) -> float:
    served = await Served.start(create_app(settings, router=router))
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for n in range(citizens):
        queue.put_nowait(conversation(FIRST_CHAT + n))
    try:
        async with httpx.AsyncClient(base_url=served.url, timeout=60) as client:

            async def worker() -> None:
                while not queue.empty():
                    for update in queue.get_nowait():
                        update["update_id"] = api.next_update_id()
                        response = await client.post(
                            "/telegram/webhook", json=update, headers=headers
                        )
                        response.raise_for_status()

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return time.perf_counter() - started
    finally:
        await served.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=300)
    parser.add_argument("--mode", choices=("polling", "webhook"), default="polling")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        engine = db_engine.create_engine(url)
        db_engine.bind(engine)
        await db_engine.start(engine)
        api = await LocalBotApi().start()
        try:
            await migrate()
            reports_before = await Report.count()
            settings = Settings(
                database_url=url,
                rate_limit=None,
                telegram_bot_token=TOKEN,
                telegram_api_base_url=api.base_url,
                telegram_webhook_secret=SECRET if args.mode == "webhook" else None,
            )
            router = FixedRouter("DPUPRPKP")
            run: Callable[[], Awaitable[float]] = (
                (lambda: polling(settings, api, args.citizens, router))
                if args.mode == "polling"
                else (lambda: webhook(settings, api, args.citizens, router, args.concurrency))
            )
            elapsed = await run()
            # The web app's lifespan rebinds the tables; bind them to our engine again.
            db_engine.bind(engine)
            reports = await Report.count() - reports_before
        finally:
            await api.stop()
            await db_engine.stop(engine)

    updates = 4 * args.citizens
    summary = {
        "mode": args.mode,
        "engine": "sqlite" if url.startswith("sqlite") else "postgresql",
        "citizens": args.citizens,
        "updates": updates,
        "seconds": round(elapsed, 2),
        "updates_per_second": round(updates / elapsed, 1),
        "reports_written": reports,
        "bot_api_calls": len(api.calls),
    }
    print(json.dumps(summary))
    assert reports == args.citizens, "every citizen's report must be in the database"


if __name__ == "__main__":
    asyncio.run(main())
