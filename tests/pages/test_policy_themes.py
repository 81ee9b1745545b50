"""The recurring words of a policy's objections are published (/kebijakan, leadership's and
the head's pages): on both engines, only public objections give them, and never a name, a
number or what a confidential or anonymous sender wrote."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from core import clock
from core.policies.pressure import pressures
from core.policies.reviews import open_due_reviews
from core.reports.intake import Reporter, submit_report
from db.tables import Citizen, Policy
from tests.helpers import FixedRouter
from tests.pages.sessions import in_app, make_staff, sign_in

PARKING = "PERWAL-2024-PARKIR"  # "Tarif parkir tepi jalan umum zona pusat kota", DISHUB's
PUBLIC = "Jukir liar minta uang tunai Rp5000, karcis tidak pernah diberikan"
CONFIDENTIAL = (
    "Saya Bambang Sutrisno di Sumbersari, identitas saya mohon dirahasiakan, jukir preman"
)
ANONYMOUS = "Warung Darmi di Gang Melati dipalak oknum berseragam"
NAMED = "Hartono Wibisono: karcis B1234XY"
SECRET_WORDS = (
    "bambang", "sutrisno", "sumbersari", "identitas", "dirahasiakan", "preman",  # confidential
    "darmi", "warung", "melati", "dipalak", "oknum", "berseragam",  # anonymous
    "hartono", "wibisono", "rp5000", "b1234xy",  # a sender's name, numbers
)  # fmt: skip


async def _telegram_citizens(count: int, first_chat: int) -> list[int]:
    rows = await Citizen.insert(
        *[
            Citizen(channel="telegram", telegram_chat_id=first_chat + n, created_at=clock.now())
            for n in range(count)
        ]
    ).returning(Citizen.id)
    return [row["id"] for row in rows]


async def _object(text: str, **submit: object) -> None:
    await submit_report(
        text=text,
        channel=str(submit.pop("channel", "telegram")),
        router=FixedRouter("DISHUB"),
        policy_code=PARKING,
        stance="objection",
        **submit,  # type: ignore[arg-type]
    )


async def _objections() -> list[str]:
    """Two public objectors, three confidential and three anonymous ones, who outnumber them
    (all on Telegram, so eight objectors: the threshold), and two web senders who both give
    one name."""
    await Policy.update({Policy.review_threshold: 8}).where(Policy.code == PARKING)
    citizens = await _telegram_citizens(8, first_chat=950_000)
    for citizen_id in citizens[:2]:
        await _object(PUBLIC, citizen_id=citizen_id)
    for citizen_id in citizens[2:5]:
        await _object(CONFIDENTIAL, citizen_id=citizen_id, confidential=True)
    for citizen_id in citizens[5:]:
        await _object(ANONYMOUS, citizen_id=citizen_id, anonymous=True)
    for email in ("hartono@example.id", "h.wibisono@example.id"):
        await _object(NAMED, channel="web", reporter=Reporter(name="Hartono Wibisono", email=email))
    (pressure,) = [p for p in await pressures() if p.code == PARKING]
    return [word for word, _ in pressure.themes]


def _themes_shown(page: str) -> str:
    """The badges of the review page's "recurring words" (the page also lists what each
    report said, as staff may read it)."""
    found = re.search(r"<dt>Kata yang berulang</dt><dd>(.*?)</dd>", page, re.S)
    assert found, "the review page shows no recurring words"
    return found.group(1)


async def test_only_public_objections_give_the_published_words(client: AsyncTestClient) -> None:
    themes = in_app(client, _objections)
    assert {"karcis", "jukir", "liar"} <= set(themes)
    assert not set(themes) & set(SECRET_WORDS)
    (review_id,) = in_app(client, open_due_reviews)

    public = (await client.get("/kebijakan")).text
    make_staff(client, "pimpinan", "leadership")
    assert (await sign_in(client, "pimpinan")).status_code == 303
    leadership = (await client.get("/leadership/policies")).text
    review = (await client.get(f"/policies/reviews/{review_id}")).text
    for page in (public, leadership, _themes_shown(review)):
        assert "jukir" in page and "karcis" in page
        shown = page.lower()
        assert [word for word in SECRET_WORDS if word in shown] == []
    # The review page lists what citizens said, but never a confidential text.
    assert "Sutrisno" not in review and "identitas saya" not in review
