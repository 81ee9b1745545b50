"""A matter of an outside authority on Telegram: the bot says honestly, before and after the
report is sent, that it likely belongs to that authority and a verifier will confirm; once
referred, the citizen's chat gets the authority and its number in their language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery import Deliverer, telegram_deliverers
from core.reports.lifecycle import refer_to_authority
from core.routing.models import RoutingDecision
from scheduler.delivery import deliver_all
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi
from tests.helpers import ADMIN

BLACKOUT = "Listrik padam di seluruh RW 05 Sawojajar sejak subuh, kulkas warga mati semua"


class _PlnRouter:
    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(department_code=None, confidence=0.93, urgent=False, refer_to="PLN")


@pytest.fixture
async def deliverers(web: WebApp, telegram_api: LocalBotApi) -> AsyncIterator[dict[str, Deliverer]]:
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as channels:
        yield channels


async def test_the_citizen_is_told_where_it_likely_belongs_then_where_it_went(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    await web.restart(router=_PlnRouter())
    await ani.says("/start")
    await ani.says(BLACKOUT)
    preview = (await ani.says("➡️ Lanjut"))[0]
    assert "tampaknya kewenangan PLN, bukan Pemerintah Kota Malang" in preview
    assert "telepon 123" in preview and "verifikator Diskominfo akan memastikannya" in preview
    assert "akan memilih dinas" not in preview  # no promise of a city department
    await ani.presses("Publik")
    sent = (await ani.presses("✅ Kirim"))[0]
    assert "tampaknya kewenangan PLN" in sent
    assert "PT PLN (Persero) UP3 Malang, telepon 123, https://www.pln.co.id" in sent
    assert "Verifikator akan memastikannya paling lambat" in sent
    code = sent.split("Kode pelacakan Anda: ")[1][:10]

    await ani.says("🌐 Bahasa")
    await ani.presses("English")
    await refer_to_authority(tracking_code=code, code="PLN", actor=ADMIN)
    before = len(web.api.sent(ani.chat_id, method="sendMessage"))
    await deliver_all(deliverers=deliverers)
    (told,) = [
        call.params["text"] for call in web.api.sent(ani.chat_id, method="sendMessage")[before:]
    ]
    assert told == (
        f"Report {code} is outside the authority of the Malang city government and was "
        "referred to PLN. Please contact: PT PLN (Persero) UP3 Malang, phone 123, "
        "https://www.pln.co.id"
    )
