"""Linking a report to the policy it is about: by staff on the report, and how links teach the
suggestion the words citizens use for a policy."""

from __future__ import annotations

import pytest

from core import clock
from core.errors import Forbidden, InvalidInput
from core.policies.links import link_report, unlink_report
from core.policies.matching import LEARNED_FOR, suggest_policy
from core.policies.pressure import pressures
from core.staff.actors import Actor, ActorKind, Role
from db.tables import Citizen, Department, ReportEvent
from tests.helpers import ADMIN, report_in

PARKING = "PERWAL-2024-PARKIR"
SAMPAH = "PERWAL-2025-SAMPAH"


async def _actor(role: Role, department: str | None = None) -> Actor:
    department_id = None
    if department:
        row = await Department.select(Department.id).where(Department.code == department).first()
        department_id = row["id"]
    return Actor(kind=ActorKind.OFFICER, role=role, department_id=department_id)


async def _citizen(chat_id: int) -> int:
    rows = await Citizen.insert(
        Citizen(channel="telegram", telegram_chat_id=chat_id, created_at=clock.now())
    ).returning(Citizen.id)
    return rows[0]["id"]


async def _objectors(code: str) -> tuple[int, int]:
    (found,) = [p for p in await pressures() if p.code == code]
    return found.objections, found.objectors


async def test_an_officer_links_a_report_and_it_counts_as_an_objection(db: str) -> None:
    citizen_id = await _citizen(61_001)
    report = await report_in(
        "open",
        text="Jukir di depan toko saya minta Rp5.000 padahal cuma sebentar",
        channel="telegram",
        citizen_id=citizen_id,
    )  # routed to DPUPRPKP
    code = report.tracking_code
    officer = await _actor(Role.OFFICER, "DPUPRPKP")
    for outsider in (await _actor(Role.OFFICER, "DLH"), await _actor(Role.LEADERSHIP)):
        with pytest.raises(Forbidden):
            await link_report(
                tracking_code=code, policy_code=PARKING, stance="objection", actor=outsider
            )
    assert await _objectors(PARKING) == (0, 0)

    linked = await link_report(
        tracking_code=code, policy_code=" perwal-2024-parkir ", stance="objection", actor=officer
    )
    assert linked.stance == "objection" and linked.status == "open"
    assert await _objectors(PARKING) == (1, 1)
    with pytest.raises(InvalidInput):  # nothing would change
        await link_report(
            tracking_code=code, policy_code=PARKING, stance="objection", actor=officer
        )
    with pytest.raises(InvalidInput) as error:
        await link_report(tracking_code=code, policy_code=PARKING, stance="angry", actor=officer)
    assert error.value.field == "stance"

    # A verifier, working city-wide, moves it to another policy as a suggestion.
    verifier = await _actor(Role.VERIFIER)
    await link_report(tracking_code=code, policy_code=SAMPAH, stance="suggestion", actor=verifier)
    assert await _objectors(PARKING) == (0, 0)
    assert await _objectors(SAMPAH) == (0, 0)  # a suggestion is not an objection
    await unlink_report(tracking_code=code, actor=officer)
    with pytest.raises(InvalidInput):
        await unlink_report(tracking_code=code, actor=officer)
    events = (
        await ReportEvent.select(ReportEvent.kind, ReportEvent.detail, ReportEvent.to_status)
        .where(ReportEvent.report == report.id)
        .order_by(ReportEvent.id)
        .output(load_json=True)
    )
    links = [(e["kind"], e["detail"]) for e in events if e["kind"].startswith("policy_")]
    assert links == [
        ("policy_linked", {"policy": PARKING, "stance": "objection", "previous": None}),
        ("policy_linked", {"policy": SAMPAH, "stance": "suggestion", "previous": PARKING}),
        ("policy_unlinked", {"policy": None, "stance": None, "previous": SAMPAH}),
    ]
    assert all(e["to_status"] == "open" for e in events[-3:])  # the lifecycle is untouched


async def test_the_suggestion_learns_the_words_of_linked_reports(db: str) -> None:
    text = "Iuran gerobak di RW kami naik terus tiap bulan, gerobak juga jarang datang"
    assert await suggest_policy(text) is None
    for said in (
        "Iuran gerobak sampah dinaikkan lagi oleh pengurus RW tanpa musyawarah",
        "Petugas gerobak hanya datang seminggu sekali padahal iuran tetap dibayar",
        "Iuran gerobak di perumahan kami paling mahal se-Lowokwaru",
    ):
        report = await report_in("open", text=said)
        await link_report(
            tracking_code=report.tracking_code,
            policy_code=SAMPAH,
            stance="objection",
            actor=ADMIN,
        )
    # The words of linked reports are read again at most every LEARNED_FOR.
    assert await suggest_policy(text) is None
    with clock.frozen_at(clock.now() + LEARNED_FOR):
        suggestion = await suggest_policy(text)
        assert suggestion is not None and suggestion.code == SAMPAH
        assert (
            await suggest_policy("Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema")
            is None
        )
        # The policies' own words still lead: parking is still parking.
        parking = await suggest_policy("Tarif parkir di Kayutangan sekarang Rp5.000, mahal sekali")
        assert parking is not None and parking.code == PARKING
