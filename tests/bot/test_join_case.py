"""At intake the bot tells a citizen whose report likely repeats an open public case so, with
the case's code and a button to join it ("Saya juga mengalami ini"); pressing it merges the
report into the case through core, and the citizen hears the case's updates from then on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery import Deliverer, telegram_deliverers
from db.tables import Report
from scheduler.delivery import deliver_all
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi, callback_update
from tests.helpers import FixedRouter, perform

POTHOLE = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, sudah dua motor jatuh"
AGAIN = "Lubang besar di jalan Soekarno Hatta depan Polinema, motor saya hampir jatuh"
JOIN = "Saya juga mengalami ini"


@pytest.fixture
async def deliverers(web: WebApp, telegram_api: LocalBotApi) -> AsyncIterator[dict[str, Deliverer]]:
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as channels:
        yield channels


def texts(api: LocalBotApi, chat_id: int, since: int = 0) -> list[str]:
    return [call.params["text"] for call in api.sent(chat_id, method="sendMessage")[since:]]


async def _status(code: str) -> dict[str, object]:
    row = (
        await Report.select(Report.status, Report.merged_into.tracking_code.as_alias("case"))
        .where(Report.tracking_code == code)
        .first()
    )
    assert row is not None
    return row


async def test_a_citizen_joins_the_case_their_report_repeats(
    web: WebApp, ani: Person, budi: Person, deliverers: dict[str, Deliverer]
) -> None:
    case = await ani.reports(POTHOLE)
    await deliver_all(deliverers=deliverers)

    await budi.says(AGAIN)
    await budi.says("➡️ Lanjut")
    await budi.presses("Publik")
    receipt, offer = await budi.presses("✅ Kirim")
    own = receipt.split("Kode pelacakan Anda: ")[1][:10]
    assert own != case and case not in receipt
    assert f"Laporan {case} tampaknya tentang masalah yang sama" in offer

    offered, data = web.api.inline_button(budi.chat_id, JOIN)
    assert data == f"join:{own}:{case}"
    (joined,) = await budi.presses(JOIN)
    assert f"Laporan {own} digabungkan ke kasus {case}" in joined
    assert await _status(own) == {"status": "merged", "case": case}
    # The button is gone, and a stale press of it merges nothing twice.
    with pytest.raises(LookupError):
        web.api.inline_button(budi.chat_id, JOIN)
    stale = callback_update(web.api.next_update_id(), budi.chat_id, offered, data)
    (again,) = await budi.sends_update(stale)
    assert f"Laporan {own} tidak dapat digabungkan lagi" in again

    # Told in the chat when pressing, not a second time by the outbox; then each update once.
    before = len(texts(web.api, budi.chat_id))
    await deliver_all(deliverers=deliverers)
    assert texts(web.api, budi.chat_id, since=before) == []
    await perform("acknowledge", case)
    await deliver_all(deliverers=deliverers)
    (update,) = texts(web.api, budi.chat_id, since=before)
    assert f"Laporan {case}" in update and "sedang ditangani" in update


async def test_no_offer_without_a_like_case_and_none_of_a_confidential_one(
    ani: Person, budi: Person
) -> None:
    await ani.reports(POTHOLE, privacy="Rahasia")
    await budi.says(AGAIN)
    await budi.says("➡️ Lanjut")
    await budi.presses("Publik")
    (receipt,) = await budi.presses("✅ Kirim")
    assert "Kode pelacakan Anda" in receipt and "tampaknya tentang masalah yang sama" not in receipt


async def test_an_urgent_report_is_sent_first_and_then_offered_the_case(
    database_url: str, telegram_api: LocalBotApi
) -> None:
    web = WebApp(database_url, telegram_api, FixedRouter("DPUPRPKP", urgent=True))
    await web.start()
    try:
        ani, budi = Person(web, 5201), Person(web, 5202)
        case_replies = await ani.says(POTHOLE)
        case = next(t for t in case_replies if "Kode pelacakan" in t).split(
            "Kode pelacakan Anda: "
        )[1][:10]
        *_, lines, receipt, offer = await budi.says(AGAIN)
        assert "112" in lines and "Kode pelacakan Anda" in receipt
        assert f"Laporan {case} tampaknya tentang masalah yang sama" in offer
        (joined,) = await budi.presses(JOIN)
        assert f"digabungkan ke kasus {case}" in joined
    finally:
        await web.stop()
