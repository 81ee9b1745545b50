"""Staff link their own Telegram chat with a one-time code from their account page, and the
department's notices then reach that chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.delivery import Deliverer, telegram_deliverers
from core import clock
from core.staff.actors import Actor
from core.staff.telegram_link import issue_link_code
from core.staff.users import create_user
from db.tables import User
from scheduler.delivery import deliver_all
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi

STREET_LIGHT = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali malam hari"


@pytest.fixture
async def deliverers(web: WebApp, telegram_api: LocalBotApi) -> AsyncIterator[dict[str, Deliverer]]:
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as channels:
        yield channels


async def _officer() -> dict:
    return await create_user(
        username="dina",
        full_name="Dina Rahayu",
        password="kata-sandi-panjang",
        role="officer",
        department_code="DPUPRPKP",
        actor=Actor.system(),
    )


async def _chat_of(user_id: int) -> int | None:
    row = await User.select(User.telegram_chat_id).where(User.id == user_id).first()
    return row["telegram_chat_id"]


async def test_an_officer_links_their_chat_and_gets_the_departments_new_reports(
    web: WebApp, ani: Person, budi: Person, deliverers: dict[str, Deliverer]
) -> None:
    officer = await _officer()
    code = await issue_link_code(user_id=officer.id)
    # typed the way people type it: lower case, with the dash the page shows
    (reply,) = await budi.says(f"/tautkan {code[:4].lower()}-{code[4:].lower()}")
    assert "tertaut dengan akun petugas Dina Rahayu" in reply
    assert await _chat_of(officer.id) == budi.chat_id
    assert str(budi.chat_id) not in reply

    await ani.reports(STREET_LIGHT)
    await deliver_all(deliverers=deliverers)
    alerts = [call.params["text"] for call in web.api.sent(budi.chat_id, method="sendMessage")]
    assert alerts[-1].startswith("Laporan baru MLG-")


async def test_a_code_works_once_and_not_after_a_quarter_of_an_hour(
    web: WebApp, ani: Person, budi: Person
) -> None:
    officer = await _officer()
    code = await issue_link_code(user_id=officer.id)
    assert "tertaut" in (await ani.says(f"/tautkan {code}"))[0]
    (refused,) = await budi.says(f"/tautkan {code}")
    assert "tidak dikenal, sudah dipakai, atau kedaluwarsa" in refused
    assert await _chat_of(officer.id) == ani.chat_id  # the first link stands

    late = await issue_link_code(user_id=officer.id)
    with clock.frozen_at(clock.now() + timedelta(minutes=16)):
        assert "kedaluwarsa" in (await budi.says(f"/tautkan {late}"))[0]
    assert await _chat_of(officer.id) == ani.chat_id


async def test_a_newer_code_replaces_the_older_and_bad_codes_are_refused(
    web: WebApp, ani: Person
) -> None:
    officer = await _officer()
    older = await issue_link_code(user_id=officer.id)
    newer = await issue_link_code(user_id=officer.id)
    assert "kedaluwarsa" in (await ani.says(f"/tautkan {older}"))[0]
    for bad in ("12345678", "ABC", "'; DROP TABLE app_user; --", "K" * 500):
        assert "kedaluwarsa" in (await ani.says(f"/tautkan {bad}"))[0]
    assert "/tautkan KODE" in (await ani.says("/tautkan"))[0]
    assert await _chat_of(officer.id) is None
    assert "Dina Rahayu" in (await ani.says(f"/link {newer}"))[0]


async def test_a_deactivated_account_cannot_be_linked(web: WebApp, ani: Person) -> None:
    officer = await _officer()
    code = await issue_link_code(user_id=officer.id)
    await User.update({User.active: False}).where(User.id == officer.id)
    assert "kedaluwarsa" in (await ani.says(f"/tautkan {code}"))[0]
    assert await _chat_of(officer.id) is None
