"""Telegram unreachable for a while under load: the notifications wait in the outbox and,
once it is back, each one arrives exactly once.

The outage is shortened: the local Bot API server is stopped while officers act on a
citizen's reports and the delivery job keeps retrying; the retries' back-off is stepped
through with the clock instead of waited out. Unreachable for a minute or an hour is the
same to the outbox: a connection refused, a retry at a later time."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

from bot.delivery import telegram_deliverers
from core import clock
from db.tables import OutboxMessage
from scheduler.delivery import deliver_all
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi
from tests.helpers import perform

REPORTS = (
    "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali malam hari",
    "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, sudah dua motor jatuh",
    "Saluran air tersumbat di Jl. Bandung, tiap hujan meluap ke rumah warga",
)
STEPS = {
    "acknowledge": "sedang ditangani",
    "respond": "Petugas menuju lokasi besok pagi",
    "resolve": "dinyatakan selesai",
}


async def test_every_notification_is_delivered_once_after_an_outage(
    web: WebApp, ani: Person, telegram_api: LocalBotApi
) -> None:
    codes = [await ani.reports(text) for text in REPORTS]
    port = urlsplit(telegram_api.base_url).port
    assert port is not None
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as deliverers:
        await deliver_all(deliverers=deliverers)
        before = len(telegram_api.calls)

        await telegram_api.stop()
        later = clock.now()
        for action in STEPS:
            for code in codes:
                await perform(action, code)
            later += timedelta(minutes=2)
            with clock.frozen_at(later):
                stats = await deliver_all(deliverers=deliverers)
            assert stats.sent == 0 and stats.retried > 0  # nothing got through, nothing lost
        waiting = await OutboxMessage.count().where(OutboxMessage.status == "pending")
        assert waiting >= len(codes) * len(STEPS)

        await telegram_api.start(port=port)
        with clock.frozen_at(later + timedelta(hours=2)):  # past every back-off
            await deliver_all(deliverers=deliverers)
            again = await deliver_all(deliverers=deliverers)
        assert again.claimed == 0

    # none left waiting or given up on; "skipped" is a department with nobody on Telegram
    left = await OutboxMessage.select(OutboxMessage.status)
    assert {row["status"] for row in left} <= {"sent", "skipped"}
    citizen = await OutboxMessage.count().where(
        (OutboxMessage.channel == "citizen") & (OutboxMessage.status == "sent")
    )
    assert citizen == len(codes) * len(STEPS)
    sent = [
        call.params["text"]
        for call in telegram_api.calls[before:]
        if call.method == "sendMessage" and call.params.get("chat_id") == ani.chat_id
    ]
    per_notification = Counter(
        (code, action)
        for text in sent
        for code in codes
        for action, fragment in STEPS.items()
        if code in text and fragment in text
    )
    assert per_notification == {(code, action): 1 for code in codes for action in STEPS}
    assert len(sent) == len(codes) * len(STEPS)
