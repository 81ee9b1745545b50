"""The metric definitions (docs/metrics.md) on a hand-built history whose right answers are
worked out by hand, on both engines.

The history is August 2026 in Kota Malang: Friday 14 August, a weekend, Monday 17 August
(Independence Day, a national holiday), then a working week.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import clock
from core.errors import InvalidInput
from core.figures import gauges
from core.figures.dashboard import AGE_BANDS, dashboard, department_detail
from core.figures.metrics import CONFIDENCE_BUCKETS, OVERFLOW, bin_index, percentile
from core.figures.models import Figures, Period, Snapshot
from core.figures.rollup import refresh
from core.reports import lifecycle
from core.reports.intake import submit_report
from core.routing.decision import TriageRouter
from core.service_levels import scheduled
from db.tables import DepartmentDay, Report, ReportMetric
from tests.helpers import ADMIN, FixedRouter

WIB = ZoneInfo("Asia/Jakarta")
AUGUST = Period.parse("2026-08", today=date(2026, 8, 31))
NOW = datetime(2026, 8, 31, 12, 0, tzinfo=WIB)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 8, day, hour, minute, tzinfo=WIB)


async def _submit(moment: datetime, department: str | None = "DPUPRPKP") -> str:
    with clock.frozen_at(moment):
        report = await submit_report(
            text="Saluran air di Jl. Ijen tersumbat dan meluap ke jalan",
            channel="web",
            router=FixedRouter(department) if department else TriageRouter(),
        )
    return report.tracking_code


async def _do(moment: datetime, action: str, code: str, **arguments: object) -> None:
    with clock.frozen_at(moment):
        await getattr(lifecycle, action)(tracking_code=code, actor=ADMIN, **arguments)


async def _history() -> dict[str, str]:
    """Seven reports; what each should count for is worked out in the tests below."""
    codes = {}
    # A: Fri 10:00 -> acknowledged Tue 10:00 = 14 h + 10 h = 1.0 working day (the weekend
    # and Monday's holiday count nothing); due Thu 20 10:00: met. Resolved Thu 16:00 = 3.25
    # working days after submission (bin 3.5); closed with rating 4.
    codes["A"] = await _submit(at(14, 10))
    await _do(at(18, 10), "acknowledge", codes["A"])
    await _do(at(20, 16), "resolve", codes["A"], answer="Saluran sudah dibersihkan")
    await _do(at(21, 8), "close", codes["A"], rating=4)
    # B: Fri 20:00 -> acknowledged Fri 21 09:00 = 4 h + 3 days + 9 h = 3.54 (bin 4.0); due
    # Thu 20 20:00: missed. Its resolution deadline is in September: not yet decided.
    codes["B"] = await _submit(at(14, 20))
    await _do(at(21, 9), "acknowledge", codes["B"])
    # C: submitted on the holiday, never answered: its clock starts Tue 00:00, due Fri 21
    # 00:00, so by 31 August it is missed (and overdue now).
    codes["C"] = await _submit(at(17, 9))
    # D: answered in 30 minutes (bin 0.1); resolved, reopened, resolved again Wed 15:00:
    # 16 h + 15 h = 1.29 working days (bin 1.3); closed with rating 2.
    codes["D"] = await _submit(at(18, 8))
    await _do(at(18, 8, 30), "acknowledge", codes["D"])
    await _do(at(18, 12), "resolve", codes["D"], answer="Sudah diperbaiki")
    with clock.frozen_at(at(19, 9)):
        citizen = lifecycle.Actor(kind=lifecycle.ActorKind.SYSTEM)
        await lifecycle.reopen(tracking_code=codes["D"], reason="Masih meluap", actor=citizen)
    await _do(at(19, 15), "resolve", codes["D"], answer="Sudah diperbaiki tuntas")
    await _do(at(20, 9), "close", codes["D"], rating=2)
    # E: through triage to DLH, re-routed to DPUPRPKP Fri 21 10:00 (its clock starts then),
    # acknowledged Mon 24 10:00 = 14 h + 10 h = 1.0 working day: met.
    codes["E"] = await _submit(at(19, 10), department=None)
    await _do(at(20, 10), "route", codes["E"], department_code="DLH")
    await _do(at(21, 10), "reroute", codes["E"], department_code="DPUPRPKP", reason="Saluran PU")
    await _do(at(24, 10), "acknowledge", codes["E"])
    # F: rejected as a duplicate: received, nothing else.
    codes["F"] = await _submit(at(20, 11))
    await _do(at(20, 12), "reject", codes["F"], reason="Laporan ganda")
    # G: waiting in triage since Tue 25.
    codes["G"] = await _submit(at(25, 10), department=None)
    return codes


async def test_department_figures_follow_the_definitions(db: str) -> None:
    await _history()
    with clock.frozen_at(NOW):
        board = await dashboard(period=AUGUST)
    pu = next(line for line in board.departments if line.key == "DPUPRPKP")
    f = pu.figures
    assert (f.received, f.routed, f.ended, f.open_now) == (6, 6, 1, 3)  # A–F; B, C, E open
    assert (f.first_response_met, f.first_response_missed) == (3, 2)  # A, D, E; B late, C none
    assert f.first_response_compliance == pytest.approx(0.6)
    assert f.first_responses == 4
    # Durations 0.1, 1.0, 1.0, 4.0: the median is rank 2, the 90th percentile rank 4.
    assert (f.median_first_response, f.p90_first_response) == (1.0, 4.0)
    assert (f.resolution_met, f.resolution_missed) == (2, 0)  # A, D; B, C, E not yet due
    assert (f.median_resolution, f.p90_resolution) == (1.3, 3.5)
    assert f.reopen_rate == pytest.approx(1 / 2)  # D of A and D
    assert f.reroute_rate == pytest.approx(1 / 6)  # E
    assert (f.rating_mean, f.rating_count) == (3.0, 2)
    # Now: B (17 days old), C (14) and E (12) wait, all in the 8–30 band; only C is overdue.
    assert pu.waiting.backlog == (0, 0, 3, 0, 0)
    assert pu.waiting.overdue == 1
    assert board.triage.figures.received == 1  # G
    assert board.triage.waiting.backlog == (0, 1, 0, 0, 0)  # six days old
    assert board.triage.waiting.overdue == 1  # triage is due in one working day
    assert board.city.figures.received == 7
    dlh = next(line for line in board.departments if line.key == "DLH")
    assert dlh.figures.received == 0  # E left DLH for DPUPRPKP
    by_dimension = {line.key: line.figures.received for line in board.dimensions}
    assert by_dimension == {
        "governance": 0, "branding": 0, "economy": 0,
        "living": 6, "society": 0, "environment": 6,
    }  # fmt: skip
    received_by_week = {point.week: point.figures.received for point in board.weeks}
    assert received_by_week == {
        date(2026, 7, 27): 0,
        date(2026, 8, 3): 0,
        date(2026, 8, 10): 2,  # A, B
        date(2026, 8, 17): 4,  # C, D, E, F
        date(2026, 8, 24): 1,  # G
        date(2026, 8, 31): 0,
    }


async def test_a_passing_deadline_turns_pending_into_missed(db: str) -> None:
    code = await _submit(at(17, 9))  # due Fri 21 00:00, as C above
    with clock.frozen_at(at(20, 23, 59)):
        before = (await dashboard(period=AUGUST)).city.figures
    assert (before.first_response_met, before.first_response_missed) == (0, 0)
    assert before.first_response_compliance is None
    with clock.frozen_at(at(21, 0)):
        after = (await dashboard(period=AUGUST)).city.figures
    assert (after.first_response_met, after.first_response_missed) == (0, 1)
    await _do(at(21, 9), "acknowledge", code)  # late: still missed, now with a duration
    with clock.frozen_at(at(21, 10)):
        late = (await dashboard(period=AUGUST)).city.figures
    assert (late.first_response_missed, late.first_responses) == (1, 1)
    assert late.median_first_response == 3.5  # Tue, Wed, Thu and 9 h of Friday: 3.375


async def test_figures_change_when_a_report_changes_and_rebuild_agrees(db: str) -> None:
    codes = await _history()
    with clock.frozen_at(NOW):
        first = (await department_detail(code="dpuprpkp", period=AUGUST)).line.figures
        await _do(NOW, "resolve", codes["B"], answer="Selesai")
        second = await department_detail(code="DPUPRPKP", period=AUGUST)
    assert second.line.figures.resolution_met == first.resolution_met + 1
    assert second.line.figures.open_now == first.open_now - 1
    assert [report.tracking_code for report in second.overdue] == [codes["C"]]
    assert sum(point.figures.received for point in second.weeks) == 6
    rows_before = await DepartmentDay.count()
    with clock.frozen_at(NOW):
        assert (await refresh()).reports == 0  # nothing changed since the last read
        result = await refresh(rebuild=True)
        rebuilt = (await department_detail(code="DPUPRPKP", period=AUGUST)).line.figures
    assert result.reports == 7 and await ReportMetric.count() == 7
    assert await DepartmentDay.count() == rows_before
    assert rebuilt == second.line.figures


async def test_concurrent_refreshes_count_each_change_once(db: str) -> None:
    codes = await _history()
    with clock.frozen_at(NOW):
        await refresh()
        await _do(NOW, "resolve", codes["B"], answer="Selesai")
        await _do(NOW, "acknowledge", codes["C"])
        boards = await asyncio.gather(*(dashboard(period=AUGUST) for _ in range(4)))
        await refresh(rebuild=True)
        rebuilt = await dashboard(period=AUGUST)
    assert all(board.departments == rebuilt.departments for board in boards)
    assert rebuilt.city.figures.resolution_met == 3


async def test_escalation_steps_count_in_the_period_they_were_taken(db: str) -> None:
    await _history()
    with clock.frozen_at(NOW):
        await scheduled.sweep()  # C and G are past twice their deadlines: all three steps
        board = await dashboard(period=AUGUST)
        september = await dashboard(period=Period.parse("2026-09", today=NOW.date()))
    pu = next(line for line in board.departments if line.key == "DPUPRPKP")
    assert pu.escalations == (1, 1, 1)
    assert board.triage.escalations == (1, 1, 1)
    assert board.city.escalations == (2, 2, 2)
    assert september.city.escalations == (0, 0, 0)


async def test_unknown_department_is_not_found(db: str) -> None:
    from core.errors import NotFound

    with pytest.raises(NotFound):
        await department_detail(code="NOPE", period=AUGUST)


def test_bins_and_nearest_rank_percentiles() -> None:
    assert bin_index(0.0) == 0 and bin_index(0.1) == 0 and bin_index(0.10001) == 1
    assert bin_index(1.0000000001) == bin_index(1.0)  # float noise from summing hours
    assert bin_index(120) == bin_index(119) and bin_index(121) == bin_index(500)
    bins = [0] * 40
    for days in (0.05, 0.3, 0.3, 2.2, 9.9):
        bins[bin_index(days)] += 1
    assert percentile(bins, 0.5) == 0.3  # rank 3 of 5
    assert percentile(bins, 0.9) == 10.0  # rank 5: 9.9 is in the bin up to 10
    assert percentile([0, 0], 0.5) is None
    overflow = [0] * (bin_index(500) + 1)
    overflow[-1] = 1
    assert percentile(overflow, 0.5) == OVERFLOW
    assert Figures().first_response_compliance is None and Figures().rating_mean is None


def test_periods() -> None:
    today = date(2026, 8, 31)
    assert Period.parse(None, today=today) == Period(start=date(2026, 8, 2), end=today, key="30d")
    assert Period.parse("7D", today=today).start == date(2026, 8, 25)
    assert Period.parse("2026-02", today=today).end == date(2026, 2, 28)
    assert Period.parse("2026-q4", today=today) == Period(
        start=date(2026, 10, 1), end=date(2026, 12, 31), key="2026-Q4"
    )
    assert Period.parse("2026-H2", today=today).start == date(2026, 7, 1)
    assert Period.parse("2026", today=today).days == 365
    assert Period.half_year_of(date(2026, 6, 30)) == Period.parse("2026-H1", today=today)
    assert Period.parse("2026-H1", today=today).previous_half().key == "2025-H2"
    assert Period.parse("2026-08", today=today).previous_half().key == "2026-H1"
    first_day, end = AUGUST.bounds(WIB)
    assert first_day == at(1, 0) and end == at(31, 0) + timedelta(days=1)
    for bad in ("", "0d", "9999d", "2026-13", "2026-H3", "1999", "last week", "30d; DROP"):
        with pytest.raises(InvalidInput):
            Period.parse(bad, today=today, default="")
    assert len(AGE_BANDS) == 5


async def _counted_from_reports(now: datetime) -> Snapshot:
    """What /metrics says, counted over the report table as it did before the tally."""
    reports: dict[tuple[str, str], int] = {}
    overdue: dict[str, int] = {}
    received: dict[str, int] = {}
    confidences = []
    for row in await Report.select(
        Report.status,
        Report.department.code.as_alias("department"),
        Report.channel,
        Report.confidence,
        Report.due_at,
    ):
        key = (row["status"], row["department"] or "triage")
        reports[key] = reports.get(key, 0) + 1
        received[row["channel"]] = received.get(row["channel"], 0) + 1
        if row["confidence"] is not None:
            confidences.append(row["confidence"])
        if row["status"] in lifecycle.ACTIVE and row["due_at"] and row["due_at"] <= now:
            department = row["department"] or "triage"
            overdue[department] = overdue.get(department, 0) + 1
    return Snapshot(
        reports=reports,
        overdue=overdue,
        received=received,
        confidence_buckets=[
            sum(value <= bound for value in confidences) for bound in CONFIDENCE_BUCKETS
        ],
        confidence_count=len(confidences),
        confidence_sum=round(sum(confidences), 6),
    )


async def test_metrics_count_from_the_tally_what_the_report_table_holds(db: str) -> None:
    """/metrics reads the rollups, not the report table, and still says what the table holds,
    as reports arrive, change state, and pass their deadlines."""
    await _history()
    for moment in (NOW, NOW + timedelta(days=20)):  # later: more deadlines have passed
        with clock.frozen_at(moment):
            shown = await gauges.snapshot()
            expected = await _counted_from_reports(moment)
        assert shown.reports == expected.reports and shown.received == expected.received
        assert shown.overdue == expected.overdue
        assert shown.confidence_buckets == expected.confidence_buckets
        assert shown.confidence_count == expected.confidence_count
        assert shown.confidence_sum == pytest.approx(expected.confidence_sum)
    code = await _submit(NOW + timedelta(days=21), department=None)
    await _do(NOW + timedelta(days=21, hours=1), "route", code, department_code="DLH")
    with clock.frozen_at(NOW + timedelta(days=21, hours=2)):
        assert (await gauges.snapshot()).reports == (
            await _counted_from_reports(NOW + timedelta(days=21, hours=2))
        ).reports
