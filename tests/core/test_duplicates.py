"""Duplicates become one case: finding them, merging, following the case, undoing a merge."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from core.errors import Forbidden, InvalidInput
from core.figures import rollup
from core.figures.export import csv_chunks, export_filters
from core.figures.kecamatan import kecamatan_figures
from core.figures.models import Period
from core.reports import lifecycle, merging
from core.reports.intake import Location, public_report
from core.reports.models import Status
from core.reports.queue import staff_report
from core.service_levels import scheduled
from core.staff.actors import Actor, ActorKind, Role
from db.tables import Citizen, Department, DepartmentDay, OutboxMessage, Report, ReportEvent
from tests.helpers import ADMIN, clock_running_from, perform, report_in


@pytest.fixture(autouse=True)
def _weekday() -> Iterator[None]:
    """Deadlines depend on the day: every test runs from a Wednesday morning."""
    with clock_running_from(datetime(2026, 12, 2, 2, 0, tzinfo=UTC)):
        yield


POTHOLE = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, motor sering jatuh"


async def _department_id(code: str) -> int:
    return (await Department.select(Department.id).where(Department.code == code).first())["id"]


async def _staff(role: Role, department: str) -> Actor:
    return Actor(kind=ActorKind.OFFICER, role=role, department_id=await _department_id(department))


async def _citizen(email: str) -> int:
    rows = await Citizen.insert(Citizen(email=email, language="id")).returning(Citizen.id)
    return rows[0]["id"]


async def _pothole_reports() -> tuple[list[str], str]:
    located = await report_in("open", text=POTHOLE, location=Location(-7.9466, 112.6154))
    typed = await report_in(
        "open",
        text="Ada lubang besar di jalan depan kampus Polinema, banyak motor jatuh",
        address="Jl. Soekarno-Hatta No. 9, Lowokwaru",
    )
    another = await report_in(
        "in_progress", text="jalan soekarno hatta berlubang besar dekat polinema, bahaya motor"
    )
    unrelated = await report_in(
        "open",
        text="Lampu penerangan jalan mati sudah seminggu, gelap sekali malam hari",
        location=Location(-7.9467, 112.6155),
    )
    return [located.tracking_code, typed.tracking_code, another.tracking_code], (
        unrelated.tracking_code
    )


async def test_near_identical_reports_list_each_other_first(db: str) -> None:
    pothole, unrelated = await _pothole_reports()
    for code in pothole:
        view = await staff_report(code)
        found = [other.tracking_code for other in view.possible_duplicates]
        assert set(found[:2]) == set(pothole) - {code}, (code, view.possible_duplicates)
        if unrelated in found:
            assert found.index(unrelated) == 2
        scores = [other.score for other in view.possible_duplicates]
        assert scores == sorted(scores, reverse=True)


async def test_a_case_tells_every_citizen_once_and_counts_once(db: str) -> None:
    (located, typed, another), _ = await _pothole_reports()
    citizens = {}
    for number, code in enumerate((located, typed, another)):
        citizens[code] = await _citizen(f"warga{number}@example.org")
        await Report.update({Report.citizen: citizens[code]}).where(Report.tracking_code == code)
    officer = await _staff(Role.OFFICER, "DPUPRPKP")

    await merging.merge(tracking_code=located, into=another, actor=officer)
    await merging.merge(tracking_code=typed, into=another, actor=officer)
    for code in (located, typed):
        merged = await staff_report(code)
        assert merged.status is Status.MERGED and merged.merged_into_code == another
        assert merged.due_at is None
        assert [e.kind for e in merged.timeline][-1] == "merged"
    case = await staff_report(another)
    assert case.reporters == 3
    assert [e.kind for e in case.timeline][-2:] == ["joined", "joined"]
    told = (
        await OutboxMessage.select(OutboxMessage.citizen, OutboxMessage.payload)
        .where((OutboxMessage.template == "merged") & (OutboxMessage.channel == "citizen"))
        .output(load_json=True)
    )
    assert sorted(m["citizen"] for m in told) == sorted([citizens[located], citizens[typed]])
    assert {m["payload"]["case_code"] for m in told} == {another}

    await lifecycle.resolve(tracking_code=another, answer="Lubang sudah ditambal", actor=officer)
    resolved = await OutboxMessage.select(OutboxMessage.citizen, OutboxMessage.report).where(
        (OutboxMessage.template == "resolved") & (OutboxMessage.channel == "citizen")
    )
    assert sorted(m["citizen"] for m in resolved) == sorted(citizens.values())
    case_id = (await Report.select(Report.id).where(Report.tracking_code == another).first())["id"]
    assert {m["report"] for m in resolved} == {case_id}
    # A follower may answer the case as its own sender may.
    follower = Actor(kind=ActorKind.CITIZEN, citizen_id=citizens[typed])
    closed = await lifecycle.close(tracking_code=another, actor=follower, rating=5)
    assert closed.status is Status.CLOSED

    await rollup.refresh(rebuild=True)
    days = await DepartmentDay.select(DepartmentDay.received).where(
        DepartmentDay.department == await _department_id("DPUPRPKP")
    )
    assert sum(row["received"] for row in days) == 2  # the case and the unrelated report
    today = clock.now().date()
    period = Period.parse("30d", today=today)
    assert sum(line.received for line in await kecamatan_figures(period=period)) == 2
    exported = b"".join([chunk async for chunk in csv_chunks(await export_filters())])
    rows = list(csv.DictReader(io.StringIO(exported.decode())))
    assert {row["tracking_code"]: row["merged_into"] for row in rows if row["merged_into"]} == {
        located: another,
        typed: another,
    }


async def test_unmerge_by_the_head_restores_and_stops_following(db: str) -> None:
    (located, _, another), _ = await _pothole_reports()
    before = await staff_report(located)
    officer = await _staff(Role.OFFICER, "DPUPRPKP")
    await merging.merge(tracking_code=located, into=another, actor=officer)
    with pytest.raises(Forbidden):
        await merging.unmerge(tracking_code=located, actor=officer)
    head = await _staff(Role.HEAD, "DPUPRPKP")
    restored = await merging.unmerge(tracking_code=located, actor=head)
    assert restored.status is Status.OPEN and restored.merged_into is None
    assert restored.due_at == before.due_at
    assert (await staff_report(another)).reporters == 1
    kinds = [
        row["kind"]
        for row in await ReportEvent.select(ReportEvent.kind)
        .where(ReportEvent.report == (await staff_report(another)).id)
        .order_by(ReportEvent.id)
    ]
    assert kinds[-2:] == ["joined", "split"]


async def test_staff_of_another_department_cannot_merge(db: str) -> None:
    (located, _, another), _ = await _pothole_reports()
    stranger = await _staff(Role.OFFICER, "DLH")
    with pytest.raises(Forbidden):
        await merging.merge(tracking_code=located, into=another, actor=stranger)
    assert (await staff_report(located)).status is Status.OPEN
    elsewhere = await report_in("open")
    await perform("reroute", elsewhere.tracking_code)  # DLH's now
    with pytest.raises(InvalidInput) as refused:
        await merging.merge(tracking_code=located, into=elsewhere.tracking_code, actor=ADMIN)
    assert "perangkat daerah yang sama" in refused.value.message("id")


async def test_a_merged_report_is_not_escalated(db: str) -> None:
    (located, _, another), _ = await _pothole_reports()
    due = (await staff_report(located)).due_at
    await merging.merge(tracking_code=located, into=another, actor=ADMIN)
    with clock.frozen_at(due + timedelta(days=30)):
        await scheduled.sweep()
    report_id = (await staff_report(located)).id
    steps = await ReportEvent.select(ReportEvent.kind).where(
        (ReportEvent.report == report_id)
        & ReportEvent.kind.is_in(["reminder", "overdue", "escalated"])
    )
    assert steps == []
    case_steps = await ReportEvent.count().where(
        (ReportEvent.report == (await staff_report(another)).id)
        & ReportEvent.kind.is_in(["reminder", "overdue", "escalated"])
    )
    assert case_steps > 0  # the case itself still climbs the ladder


async def test_a_case_counts_each_citizen_once_however_many_reports_they_sent(db: str) -> None:
    """ "N warga melaporkan": a Telegram account or a confirmed email address is one citizen;
    a sender nobody verified (no contact, or an address never confirmed) counts per report."""
    moment = clock.now()
    telegram = (
        await Citizen.insert(
            Citizen(channel="telegram", telegram_chat_id=777, language="id")
        ).returning(Citizen.id)
    )[0]["id"]
    confirmed = await _citizen("tetap@example.org")
    await Citizen.update({Citizen.email_confirmed_at: moment}).where(Citizen.id == confirmed)
    unconfirmed = await _citizen("belum@example.org")
    senders = [telegram, telegram, confirmed, confirmed, unconfirmed, unconfirmed, None, None]
    codes = []
    for number, citizen in enumerate(senders):
        report = await report_in("open", text=f"{POTHOLE} ({number})")
        await Report.update({Report.citizen: citizen}).where(Report.id == report.id)
        codes.append(report.tracking_code)
    case, *others = codes
    for code in others:
        await merging.merge(tracking_code=code, into=case, actor=ADMIN)
    # The Telegram account, the confirmed address, and four unverified reports.
    assert (await staff_report(case)).reporters == 6
    assert (await public_report(case)).reporters == 6
    # The figures count the case once as received, whoever reported it.
    await rollup.refresh(rebuild=True)
    days = await DepartmentDay.select(DepartmentDay.received).where(
        DepartmentDay.department == await _department_id("DPUPRPKP")
    )
    assert sum(row["received"] for row in days) == 1
