"""A crowd of citizens writing at once: their updates are handled side by side, each
citizen's in the order they were sent, whichever replica takes them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from api.app import create_app
from db.tables import Citizen, Report
from tests.bot.conftest import WebApp, bot_settings
from tests.bot.local_api import LocalBotApi, Served, callback_update, chat, message_update
from tests.helpers import FixedRouter

# Different matters, so no report is taken for a repeat of another.
TEXTS = [
    "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali",
    "Saluran air di Jl. Bandung tersumbat sampah, air meluap ke jalan",
    "Jalan berlubang besar di Jl. Soekarno Hatta dekat jembatan, motor sering jatuh",
    "Trotoar Jl. Ijen rusak dan pavingnya lepas di depan museum",
    "Pohon tumbang menutup separuh Jl. Veteran sejak pagi",
    "Rambu lalu lintas di perempatan Jl. Letjen Sutoyo roboh",
]


def report_updates(chat_id: int, text: str, first_id: int) -> list[dict[str, Any]]:
    """One whole report: the text, "Continue", "Public", "Send". The buttons' message is
    only edited by the bot, so any message of the chat serves for the presses."""
    message = {"message_id": 1, "date": int(time.time()), "chat": chat(chat_id)}
    return [
        message_update(first_id, chat_id, text=text),
        message_update(first_id + 1, chat_id, text="➡️ Lanjut"),
        callback_update(first_id + 2, chat_id, message, "pv:public"),
        callback_update(first_id + 3, chat_id, message, "ok:send"),
    ]


async def reports_by_chat() -> dict[int, str]:
    rows = await Report.select(Report.text, Report.citizen.telegram_chat_id.as_alias("chat"))
    return {row["chat"]: row["text"] for row in rows}


def confirmed(api: LocalBotApi, chat_id: int) -> bool:
    return any(call.params["text"].startswith("Laporan terkirim") for call in api.sent(chat_id))


async def test_updates_read_in_one_batch_are_handled_in_each_chats_order(
    database_url: str, telegram_api: LocalBotApi
) -> None:
    app = create_app(
        bot_settings(database_url, telegram_api, webhook=False), router=FixedRouter("DPUPRPKP")
    )
    served = await Served.start(app)
    try:
        chats = [7001 + n for n in range(len(TEXTS))]
        conversations = [
            report_updates(chat_id, text, first_id=100 * n)
            for n, (chat_id, text) in enumerate(zip(chats, TEXTS, strict=True))
        ]
        for step in zip(*conversations, strict=True):  # everyone's text, then everyone's ...
            for update in step:
                update["update_id"] = telegram_api.next_update_id()
                await telegram_api.push(update)
        await telegram_api.wait_for(
            lambda: all(confirmed(telegram_api, chat_id) for chat_id in chats), seconds=60
        )
    finally:
        await served.stop()
    assert await reports_by_chat() == dict(zip(chats, TEXTS, strict=True))


async def test_a_crowd_through_two_replicas_each_step_on_the_other_one(
    web: WebApp, telegram_api: LocalBotApi
) -> None:
    other = WebApp(web.database_url, telegram_api, web.router)
    await other.start()
    chats = [7101 + n for n in range(len(TEXTS))]

    async def citizen(chat_id: int, text: str) -> None:
        for turn, update in enumerate(report_updates(chat_id, text, first_id=0)):
            update["update_id"] = telegram_api.next_update_id()
            await (web if turn % 2 == 0 else other).deliver(update)

    try:
        await asyncio.gather(*(citizen(c, t) for c, t in zip(chats, TEXTS, strict=True)))
    finally:
        await other.stop()
    assert await reports_by_chat() == dict(zip(chats, TEXTS, strict=True))
    assert all(confirmed(telegram_api, chat_id) for chat_id in chats)
    assert await Citizen.count() == len(chats)
