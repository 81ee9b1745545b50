"""A Telegram citizen whose report was merged into another's case hears of the merge with the
case's code, then each of the case's updates once, and may rate the case with its buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery import Deliverer, telegram_deliverers
from core.reports import merging
from db.tables import Report
from scheduler.delivery import deliver_all
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi
from tests.helpers import ADMIN, perform

POTHOLE = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, sudah dua motor jatuh"
AGAIN = "Lubang besar di jalan Soekarno Hatta depan Polinema, motor saya hampir jatuh"


@pytest.fixture
async def deliverers(web: WebApp, telegram_api: LocalBotApi) -> AsyncIterator[dict[str, Deliverer]]:
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as channels:
        yield channels


def texts(api: LocalBotApi, chat_id: int, since: int = 0) -> list[str]:
    return [call.params["text"] for call in api.sent(chat_id, method="sendMessage")[since:]]


async def test_a_follower_hears_the_case_once_and_rates_it(
    web: WebApp, ani: Person, budi: Person, deliverers: dict[str, Deliverer]
) -> None:
    case = await ani.reports(POTHOLE)
    duplicate = await budi.reports(AGAIN)
    await deliver_all(deliverers=deliverers)
    await merging.merge(tracking_code=duplicate, into=case, actor=ADMIN)
    before = {person: len(texts(web.api, person.chat_id)) for person in (ani, budi)}
    await deliver_all(deliverers=deliverers)
    (told,) = texts(web.api, budi.chat_id, since=before[budi])
    assert f"Laporan {duplicate} sama dengan laporan {case}" in told
    assert texts(web.api, ani.chat_id, since=before[ani]) == []

    for action, fragment in (
        ("acknowledge", "sedang ditangani"),
        ("resolve", "dinyatakan selesai"),
    ):
        await perform(action, case)
        before = {person: len(texts(web.api, person.chat_id)) for person in (ani, budi)}
        await deliver_all(deliverers=deliverers)
        await deliver_all(deliverers=deliverers)  # nothing twice
        for person in (ani, budi):
            (new,) = texts(web.api, person.chat_id, since=before[person])
            assert f"Laporan {case}" in new and fragment in new

    (thanks,) = await budi.presses("5 ⭐")
    assert f"Penilaian 5/5 untuk laporan {case}" in thanks
    report = await Report.select().where(Report.tracking_code == case).first()
    assert (report["status"], report["rating"]) == ("closed", 5)
