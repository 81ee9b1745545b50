"""`ingatkan serve` with a bot token and no webhook secret: the bot polls getUpdates."""

from __future__ import annotations

from api.app import create_app
from db.tables import Report
from tests.bot.conftest import bot_settings
from tests.bot.local_api import LocalBotApi, Served, callback_update, message_update
from tests.helpers import FixedRouter


async def test_the_web_app_polls_for_updates_and_answers_them(
    database_url: str, telegram_api: LocalBotApi
) -> None:
    app = create_app(
        bot_settings(database_url, telegram_api, webhook=False), router=FixedRouter("DLH")
    )
    served = await Served.start(app)
    try:
        chat = 6001
        assert telegram_api.attempts("deleteWebhook"), "polling starts by dropping any webhook"

        async def say(update: dict, *, replies: int = 1) -> str:
            expected = len(telegram_api.sent(chat)) + replies
            await telegram_api.push(update)
            await telegram_api.wait_for(lambda: len(telegram_api.sent(chat)) >= expected)
            return telegram_api.sent(chat)[-1].params["text"]

        def next_id() -> int:
            return telegram_api.next_update_id()

        assert "ingatkan" in await say(message_update(next_id(), chat, text="/start"))
        text = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali"
        await say(message_update(next_id(), chat, text=text), replies=2)
        await say(message_update(next_id(), chat, text="➡️ Lanjut"), replies=2)
        message, data = telegram_api.inline_button(chat, "Publik")
        await say(callback_update(next_id(), chat, message, data))
        message, data = telegram_api.inline_button(chat, "✅ Kirim")
        sent = await say(callback_update(next_id(), chat, message, data))
        assert "Laporan terkirim" in sent
        # No webhook response to carry them: each pressed button is answered by a call.
        await telegram_api.wait_for(lambda: len(telegram_api.attempts("answerCallbackQuery")) == 2)
        report = await Report.select().first()
        assert report["text"] == text
        assert report["status"] == "open"
    finally:
        await served.stop()
    # Stopping did not wait out a long poll, and confirmed the updates it had read.
    last = telegram_api.attempts("getUpdates")[-1]
    assert last.params.get("timeout", 0) == 0
