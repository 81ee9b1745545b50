"""The staff queues as officers, verifiers and heads work from them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import clock
from core.errors import InvalidInput
from core.reports import lifecycle, queue
from core.reports.intake import Location
from core.reports.queue import (
    PAGE_SIZE,
    REROUTED_AWAY,
    QueueFilters,
    as_read_by,
    department_overview,
    department_queue,
    staff_report,
    time_band,
    triage_queue,
)
from core.staff.actors import Actor, ActorKind, Role
from core.staff.users import create_user
from db.tables import Department, Report, ReportLadder
from tests.helpers import FixedRouter, perform, report_in


async def _department_id(code: str) -> int:
    return (await Department.select(Department.id).where(Department.code == code).first())["id"]


async def _codes(department: str = "DPUPRPKP", **filters: object) -> list[str]:
    page = await department_queue(
        department_id=await _department_id(department), filters=QueueFilters(**filters)
    )
    return [row.tracking_code for row in page.items]


async def test_queue_holds_the_departments_unfinished_work_most_pressing_first(db: str) -> None:
    later = await report_in("open", text="Jalan berlubang di Jl. Kawi, mohon ditambal")
    sooner = await report_in("in_progress", text="Trotoar ambles di Jl. Ijen dekat gereja")
    await Report.update({Report.due_at: later.due_at - timedelta(days=30)}).where(
        Report.id == sooner.id
    )
    await report_in("resolved")  # waits for the citizen, not in the default queue
    elsewhere = await report_in("open")
    await perform("reroute", elsewhere.tracking_code)  # now DLH's
    await report_in("triage")

    assert await _codes() == [sooner.tracking_code, later.tracking_code]
    assert await _codes("DLH") == [elsewhere.tracking_code]
    assert len(await _codes(status="resolved")) == 1
    assert await _codes(status="open") == [later.tracking_code]


async def test_urgent_unacknowledged_reports_lead_every_page_of_the_queue(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default order splits the queue in two index ranges; paging runs across both."""
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    now = clock.now()
    overdue = [await report_in("open") for _ in range(3)]
    for days, report in enumerate(overdue):
        await Report.update({Report.due_at: now - timedelta(days=30 - days)}).where(
            Report.id == report.id
        )
    urgent = [await report_in("open") for _ in range(2)]
    for hours, report in enumerate(urgent, start=1):
        values = {Report.urgent: True, Report.due_at: now + timedelta(hours=hours)}
        await Report.update(values).where(Report.id == report.id)
    taken = await report_in("in_progress")  # urgent, but acknowledged: by deadline
    await Report.update({Report.urgent: True, Report.due_at: now + timedelta(minutes=30)}).where(
        Report.id == taken.id
    )
    expected = [r.tracking_code for r in (*urgent, *overdue, taken)]
    pages = [await _codes(page=n) for n in (1, 2, 3, 4)]
    assert pages == [expected[0:2], expected[2:4], expected[4:6], []]
    by_deadline = [r.tracking_code for r in (*overdue, taken, *urgent)]
    assert await _codes(page=2, sort="deadline") == by_deadline[2:4]


async def test_queue_filters(db: str) -> None:
    plain = await report_in("open", text="Lampu jalan mati di Jl. Soekarno Hatta, Lowokwaru")
    urgent = await report_in("open", text="Jembatan retak parah di Kedungkandang, bahaya")
    await Report.update({Report.urgent: True}).where(Report.id == urgent.id)
    on_policy = await report_in(
        "open",
        text="Tarif parkir baru terlalu mahal untuk warga Klojen",
        policy_code="PERWAL-2024-PARKIR",
        stance="objection",
        address="Jl. Kayutangan, Klojen",
    )
    late = await report_in("open", text="Saluran mampet di Sukun sejak bulan lalu")
    await Report.update({Report.due_at: clock.now() - timedelta(hours=1)}).where(
        Report.id == late.id
    )

    assert await _codes(urgent=True) == [urgent.tracking_code]
    assert await _codes(overdue=True) == [late.tracking_code]
    assert await _codes(policy="perwal-2024-parkir") == [on_policy.tracking_code]
    assert await _codes(kecamatan="klojen") == [on_policy.tracking_code]  # address or text
    assert await _codes(kecamatan="Lowokwaru") == [plain.tracking_code]
    assert await _codes(search="LAMPU jalan") == [plain.tracking_code]
    assert await _codes(search=plain.tracking_code.lower()) == [plain.tracking_code]
    assert await _codes(search="Lampu%Hatta") == []  # '%' is no wildcard for the searcher

    for bad, field in (
        ({"status": "deleted"}, "status"),
        ({"sort": "random"}, "sort"),
        ({"kecamatan": "Surabaya"}, "kecamatan"),
        ({"policy": "NO-SUCH"}, "policy"),
        ({"search": "x" * 201}, "q"),
        ({"search": "nul\x00byte"}, "q"),
        ({"page": 0}, "page"),
    ):
        with pytest.raises(InvalidInput) as error:
            await _codes(**bad)
        assert error.value.field == field


async def test_queue_pages(db: str) -> None:
    for n in range(PAGE_SIZE + 2):
        await report_in("open", text=f"Jalan rusak nomor {n} di Jl. Bandung")
    department_id = await _department_id("DPUPRPKP")
    first = await department_queue(department_id=department_id, filters=QueueFilters())
    second = await department_queue(department_id=department_id, filters=QueueFilters(page=2))
    assert (first.total, first.pages, len(first.items), len(second.items)) == (
        PAGE_SIZE + 2,
        2,
        PAGE_SIZE,
        2,
    )
    assert not {r.tracking_code for r in first.items} & {r.tracking_code for r in second.items}


async def test_triage_queue_and_time_bands(db: str) -> None:
    waiting = await report_in("triage")
    await report_in("open")
    page = await triage_queue()
    assert [row.tracking_code for row in page.items] == [waiting.tracking_code]
    now = clock.now()
    assert [
        time_band(now + delta, now)
        for delta in (timedelta(hours=-1), timedelta(hours=5), timedelta(days=2), timedelta(days=9))
    ] == ["overdue", "today", "soon", "later"]
    assert time_band(None, now) is None


async def test_staff_report_shows_timeline_actors_and_possible_duplicates(db: str) -> None:
    here = Location(-7.9666, 112.6326)
    report = await report_in("open", location=here)
    near = await report_in("open", location=Location(-7.9670, 112.6330))
    far = await report_in("open", location=Location(-8.02, 112.66))  # same words, far away
    await report_in("resolved", location=here)  # no longer open
    await perform("acknowledge", report.tracking_code)
    await perform("reroute", report.tracking_code)

    view = await staff_report(report.tracking_code.lower())
    assert [event.kind for event in view.timeline] == [
        "submitted", "routed", "acknowledged", "rerouted",
    ]  # fmt: skip
    assert view.timeline[-1].detail["reason"] == "Ini soal sampah"
    assert view.reachable is False and not hasattr(view, "citizen")
    assert view.possible_duplicates == []  # it moved to DLH; the others stayed with DPUPRPKP
    near_view = await staff_report(near.tracking_code)
    assert [other.tracking_code for other in near_view.possible_duplicates] == [far.tracking_code]
    await perform("reroute", near.tracking_code)
    near_view = await staff_report(near.tracking_code)
    assert [other.tracking_code for other in near_view.possible_duplicates] == [
        report.tracking_code
    ]


async def test_department_overview_for_the_head(db: str) -> None:
    department_id = await _department_id("DPUPRPKP")
    busy = await create_user(
        username="busy", full_name="Busy", password="x" * 12, role="officer",
        department_code="DPUPRPKP",
        actor=Actor.system(),
    )  # fmt: skip
    await create_user(
        username="idle", full_name="Idle", password="x" * 12, role="officer",
        department_code="DPUPRPKP",
        actor=Actor.system(),
    )  # fmt: skip
    as_busy = Actor(
        kind=ActorKind.OFFICER, user_id=busy.id, role=Role.OFFICER, department_id=department_id
    )
    late = await report_in("open")
    await lifecycle.acknowledge(tracking_code=late.tracking_code, actor=as_busy)
    taken = await report_in("open")
    await lifecycle.acknowledge(tracking_code=taken.tracking_code, actor=as_busy)
    escalated = await report_in("open")
    await Report.update({Report.due_at: clock.now() - timedelta(days=1)}).where(
        Report.id == late.id
    )
    await ReportLadder.update({ReportLadder.level: 2}).where(ReportLadder.id == escalated.ladder)

    overview = await department_overview(department_id=department_id)
    assert overview.open_total == 3
    assert [row.tracking_code for row in overview.overdue] == [late.tracking_code]
    assert overview.overdue_total == 1
    assert [row.tracking_code for row in overview.escalated] == [escalated.tracking_code]
    load = {row.username: (row.in_progress, row.recent_actions) for row in overview.load}
    assert load == {"busy": (2, 2), "idle": (0, 0)}


async def test_a_word_search_counts_its_matches_up_to_a_cap(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "SEARCH_COUNT_CAP", 2)
    for n in range(3):
        await report_in("open", text=f"Got {n}: gorong-gorong mampet di Jl. Jakarta")
    await report_in("open", text="Trotoar rusak di Jl. Bogor")
    searched = await department_queue(
        department_id=await _department_id("DPUPRPKP"), filters=QueueFilters(search="gorong")
    )
    assert (searched.total, searched.total_is_capped, len(searched.items)) == (2, True, 3)
    everything = await department_queue(
        department_id=await _department_id("DPUPRPKP"), filters=QueueFilters()
    )
    assert (everything.total, everything.total_is_capped) == (4, False)


async def test_a_report_the_classifier_sent_and_that_was_rerouted_stays_with_its_first_department(
    db: str,
) -> None:
    # Routed at intake (no verifier's "routed" event): the department still handled it.
    first = await report_in("triage", router=FixedRouter("DPUPRPKP"))  # no step after intake
    await perform("reroute", first.tracking_code)  # now DLH's
    via_triage = await report_in("open")
    await perform("reroute", via_triage.tracking_code)
    stayed = await report_in("open")
    away = await _codes(status=REROUTED_AWAY)
    assert sorted(away) == sorted([first.tracking_code, via_triage.tracking_code])
    assert stayed.tracking_code not in away
    assert await _codes("DLH", status=REROUTED_AWAY) == []
    officer = Actor(
        kind=ActorKind.OFFICER, role=Role.OFFICER, department_id=await _department_id("DPUPRPKP")
    )
    read = await as_read_by(officer, await staff_report(first.tracking_code))
    assert read is not None and read.handled_before and read.reporter is None
