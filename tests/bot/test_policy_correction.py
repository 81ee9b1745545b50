"""Policy correction end to end, through the real bot against the local Bot API server:
25 citizens object to one policy in Telegram, the scheduler opens a review for the head of
the department, the head decides in the web page, and all 25 hear the decision in Telegram,
once each."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.delivery import Deliverer, telegram_deliverers
from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import PolicyReview, Report, User
from scheduler.runner import jobs
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi

PASSWORD = "kata-sandi-kadishub-1"
HEAD_CHAT = 9_100
RATIONALE = "Tarif motor terlalu tinggi dibanding zona lain; keberatan warga beralasan."
CHANGES = "Tarif motor turun menjadi Rp2.000 dan pembayaran tunai kembali diterima."
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
async def deliverers(web: WebApp, telegram_api: LocalBotApi) -> AsyncIterator[dict[str, Deliverer]]:
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as channels:
        yield channels


async def _objects(citizen: Person, number: int) -> str:
    """A citizen writes about parking; the bot offers the policy; they link it and object."""
    await citizen.says(
        f"Tarif parkir di Kayutangan sekarang Rp5.000 untuk mobil, mahal sekali. "
        f"Saya parkir di sana {number} kali seminggu untuk berdagang."
    )
    offered = await citizen.says("➡️ Lanjut")
    assert any("Tarif parkir tepi jalan umum zona pusat kota" in text for text in offered)
    await citizen.presses("Ya, tautkan")
    await citizen.presses("Keberatan")
    await citizen.presses("Publik")
    sent = await citizen.presses("✅ Kirim")
    found = re.search(r"MLG-[A-Z0-9]{6}", "\n".join(sent))
    assert found, sent
    return found.group(0)


async def _form_token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    match = _TOKEN.search(page.text)
    assert match
    return match.group(1)


def _telegram_texts(api: LocalBotApi, chat_id: int) -> list[str]:
    return [call.params["text"] for call in api.sent(chat_id, method="sendMessage")]


async def test_twenty_five_citizens_object_the_head_decides_all_hear_it_once(
    web: WebApp, telegram_api: LocalBotApi, deliverers: dict[str, Deliverer]
) -> None:
    head = await create_user(
        username="kadishub",
        full_name="Kepala Dishub",
        password=PASSWORD,
        role="head",
        department_code="DISHUB",
        actor=Actor.system(),
    )
    await User.update({User.telegram_chat_id: HEAD_CHAT}).where(User.id == head.id)
    citizens = [Person(web, 6_000 + n) for n in range(25)]
    codes = [await _objects(citizen, n) for n, citizen in enumerate(citizens, start=1)]
    linked = await Report.select(Report.stance, Report.policy.code.as_alias("policy")).where(
        Report.tracking_code.is_in(codes)
    )
    assert {(row["policy"], row["stance"]) for row in linked} == {
        ("PERWAL-2024-PARKIR", "objection")
    }

    scheduled = jobs(deliverers=deliverers)
    assert (await scheduled["policy_reviews"]())["opened"] == 1
    await scheduled["delivery"]()
    (told,) = _telegram_texts(telegram_api, HEAD_CHAT)
    assert "Tarif parkir tepi jalan umum zona pusat kota" in told and "25 warga" in told
    review = await PolicyReview.select(PolicyReview.id).first()
    before = {c.chat_id: len(_telegram_texts(telegram_api, c.chat_id)) for c in citizens}

    client = web.client
    assert client is not None
    signed_in = await client.post(
        "/login",
        data={
            "username": "kadishub",
            "password": PASSWORD,
            "_csrf_token": await _form_token(client, "/login"),
        },
    )
    assert signed_in.status_code == 303, signed_in.text
    path = f"/policies/reviews/{review['id']}"
    decided = await client.post(
        f"{path}/decide",
        data={
            "confirm": "1",
            "decision": "revise",
            "rationale": RATIONALE,
            "changes": CHANGES,
            "changes_from": "2027-01-01",
            "_csrf_token": await _form_token(client, path),
        },
    )
    assert decided.status_code == 303, decided.text
    assert "dikirim ke 25 warga" in (await client.get(decided.headers["location"])).text

    for _ in range(2):  # a second run finds nothing left to send
        await scheduled["delivery"]()
    for citizen in citizens:
        new = _telegram_texts(telegram_api, citizen.chat_id)[before[citizen.chat_id] :]
        assert len(new) == 1, (citizen.chat_id, new)
        assert "Tarif parkir tepi jalan umum zona pusat kota" in new[0]
        assert "direvisi" in new[0] and RATIONALE in new[0]
        assert CHANGES in new[0] and "1 Jan 2027" in new[0]
