"""Pre-aggregation for the dashboards, so they answer in milliseconds at a million reports.

Derived tables, all rebuilt from the reports at any time with `refresh(rebuild=True)`:
  ReportMetric    one row per report: its department clock, deadlines and whether each was
                  met, durations in working days (which SQL cannot count: holidays, WIB),
                  and for an open report whether it is overdue now;
  DepartmentDay   one row per day received and department: the sums of those rows;
  DepartmentWeek  the same per week, so a long period reads few rows;
  ReportTally     every report once by department, status, channel and confidence bin,
                  with how many of them are overdue: what /metrics counts
                  (core.figures.gauges).

`refresh()` re-derives the reports that changed since it last ran (new ids, or a newer
`updated_at`) and those with a deadline passed since (a deadline passing turns "not yet
decided" into "missed", and an open report into an overdue one, without any write to the
report), and adds the difference each makes to the rollup rows. It is cheap when little
changed; a scheduler job calls it every few minutes, and bulk writers (the seed, imports)
call it themselves, with progress. A page never pays for a large catch-up: `for_reading()`
derives a small change at once (what an officer just did shows), and leaves a large one to
those, the page showing the figures as of their last refresh meanwhile. Definitions:
docs/metrics.md.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from piccolo.table import Table

from core import clock
from core.figures.metrics import BIN_COUNT, bin_index, confidence_bucket, week_of
from core.figures.models import FiguresAge, RefreshOutcome, ReportMetrics
from core.reports.lifecycle import ACTIVE, Status
from core.service_levels.calendar import WorkingCalendar
from core.service_levels.deadlines import (
    Stage,
    deadline,
    is_overdue,
    overdue_where,
    working_calendar,
)
from db.engine import insert_rows, is_sqlite, write_transaction
from db.tables import (
    Department,
    DepartmentDay,
    DepartmentWeek,
    MetricsRefresh,
    Report,
    ReportEvent,
    ReportMetric,
    ReportTally,
)

STATE_ID = 1
# Reports derived per round trip; also bounds the parameters of one statement.
BATCH = 1_000
# Days of rollup rewritten per round trip.
DAY_CHUNK = 31
# A change commits a moment after it reads the clock, so a report changed this long before
# the newest change already seen is looked at again (and skipped when it is unchanged).
CHANGE_MARGIN = timedelta(minutes=5)

ENDED = frozenset({Status.REJECTED, Status.REFERRED})
RESOLVED = frozenset({Status.RESOLVED, Status.CLOSED})
CLOCK_EVENTS = ("routed", "rerouted", "reopened")
# The most changed reports a page derives before it reads the figures (bench.metrics: 500 took
# 0.26 s on the loaded 2-core machine, where /health took 14 ms; the scheduler's 5 minutes
# bring a few dozen); more (a bulk import, a stopped scheduler) is left to the scheduler's
# refresh, and the page shows the figures as of their last refresh.
READ_REFRESH_LIMIT = 500

# (reports derived, reports to derive), after each batch of a refresh.
RefreshProgress = Callable[[int, int], None]

_REPORT_COLUMNS = (
    Report.id,
    Report.department,
    Report.status,
    Report.urgent,
    Report.needs_field_work,
    Report.created_at,
    Report.updated_at,
    Report.first_response_at,
    Report.resolved_at,
    Report.reopen_count,
    Report.reroute_count,
    Report.rating,
    Report.due_at,
    Report.channel,
    Report.confidence,
)
_BINS = ("first_response_bins", "resolution_bins")
_COUNTERS = (
    "received", "routed", "ended", "open_now", "overdue", "first_response_met",
    "first_response_missed",
    "resolution_met", "resolution_missed", "was_resolved", "reopened", "rerouted",
    "rating_sum", "rating_count",
)  # fmt: skip


def derive(
    report: dict[str, Any],
    *,
    clock_events: Sequence[tuple[str, datetime]],
    department: dict[str, Any] | None,
    calendar: WorkingCalendar,
    now: datetime,
) -> ReportMetrics:
    """The ReportMetric values of one report (a Report row; docs/metrics.md, "Per report")."""
    status = Status(report["status"])
    if status is Status.MERGED:  # its case is counted; this report is not, a second time
        return ReportMetrics(
            report=report["id"],
            department=report["department"],
            received_on=report["created_at"].astimezone(calendar.tz).date(),
            urgent=report["urgent"],
            ended=False,
            open_now=False,
            current_due=None,
            overdue=False,
            was_resolved=False,
            reopened=False,
            rerouted=False,
            rating=None,
            source_updated_at=report["updated_at"],
            merged=True,
            status=report["status"],
            channel=report["channel"],
            confidence=report["confidence"],
        )
    current_due = report["due_at"] if status in ACTIVE else None
    values = ReportMetrics(
        report=report["id"],
        department=report["department"],
        received_on=report["created_at"].astimezone(calendar.tz).date(),
        urgent=report["urgent"],
        ended=status in ENDED,
        open_now=status in ACTIVE,
        current_due=current_due,
        overdue=is_overdue(current_due, now),
        was_resolved=status in RESOLVED or report["reopen_count"] > 0,
        reopened=report["reopen_count"] > 0,
        rerouted=report["reroute_count"] > 0,
        rating=report["rating"],
        source_updated_at=report["updated_at"],
        status=report["status"],
        channel=report["channel"],
        confidence=report["confidence"],
    )
    if department is None or status in ENDED:
        return values  # not a department's (yet), or no longer: no service level applies
    answered = report["first_response_at"]
    resolved = report["resolved_at"] if status in RESOLVED else None
    routings = [at for kind, at in clock_events if kind != "reopened"]
    # The clock of the department that answered (or holds it unanswered) started at the last
    # routing before the first response, or at submission when the classifier routed it.
    assigned = max(
        (at for at in routings if answered is None or at <= answered),
        default=report["created_at"],
    )
    first_due = deadline(
        Stage.FIRST_RESPONSE,
        start=assigned,
        calendar=calendar,
        urgent=report["urgent"],
        first_response_days=department["first_response_days"],
    )
    reopens = [at for kind, at in clock_events if kind == "reopened"]
    resolution_due = deadline(
        Stage.RESOLUTION,
        start=max(reopens, default=answered or assigned),
        calendar=calendar,
        urgent=report["urgent"],
        needs_field_work=report["needs_field_work"],
        resolution_days=department["resolution_days"],
    )
    return msgspec.structs.replace(
        values,
        assigned_at=assigned,
        first_response_due=first_due,
        first_response_days=(
            calendar.working_days_between(assigned, answered) if answered else None
        ),
        first_response_met=_met(answered, first_due, now),
        resolution_due=resolution_due,
        resolution_days=(calendar.working_days_between(assigned, resolved) if resolved else None),
        resolution_met=_met(resolved, resolution_due, now),
    )


def _met(done_at: datetime | None, due: datetime, now: datetime) -> bool | None:
    if done_at is not None:
        return done_at <= due
    return False if now >= due else None


Key = tuple[date, int | None]  # (day received, department or None for triage)
# (department or None, status, channel, confidence bin or None)
#     -> [reports, confidence sum, overdue reports]
TallyKey = tuple[int | None, str, str, int | None]
Tally = dict[TallyKey, list[float]]


def _empty(key: Key) -> dict[str, Any]:
    """A rollup row of nothing; `key` is (day, department) or (week, department)."""
    row: dict[str, Any] = dict.fromkeys(_COUNTERS, 0)
    row.update(
        day=key[0],
        week=week_of(key[0]),
        department=key[1],
        first_response_bins=[0] * BIN_COUNT,
        resolution_bins=[0] * BIN_COUNT,
    )
    return row


def add_to_rollup(rows: dict[Key, dict[str, Any]], metric: ReportMetrics, sign: int = 1) -> None:
    """Add one report's metrics to the DepartmentDay values in `rows` (sign -1: take it out).
    A report merged into a case adds nothing: the case counts for it."""
    if metric.merged:
        return
    key = (metric.received_on, metric.department)
    row = rows.get(key)
    if row is None:
        row = rows[key] = _empty(key)
    row["received"] += sign
    row["routed"] += sign * (metric.department is not None)
    for flag in ("ended", "open_now", "overdue", "was_resolved", "reopened", "rerouted"):
        row[flag] += sign * getattr(metric, flag)
    for stage, met, days in (
        ("first_response", metric.first_response_met, metric.first_response_days),
        ("resolution", metric.resolution_met, metric.resolution_days),
    ):
        if met is not None:
            row[f"{stage}_met" if met else f"{stage}_missed"] += sign
        if days is not None:
            row[f"{stage}_bins"][bin_index(days)] += sign
    if metric.rating is not None:
        row["rating_sum"] += sign * metric.rating
        row["rating_count"] += sign


def add_to_tally(tally: Tally, metric: ReportMetrics, sign: int = 1) -> None:
    """Count one report in the tally's changes (sign -1: take it out). Every report counts,
    merged ones too (under their status); a row derived before the tally existed adds
    nothing (the migration that added it has every report derived again)."""
    if metric.status is None or metric.channel is None:
        return
    key = (metric.department, metric.status, metric.channel, confidence_bucket(metric.confidence))
    change = tally.setdefault(key, [0, 0.0, 0])
    change[0] += sign
    change[1] += sign * (metric.confidence or 0.0)
    change[2] += sign * metric.overdue


async def for_reading() -> FiguresAge:
    """Before a page reads the figures: derive a small change now; leave a large one to the
    scheduler (core.figures.scheduled) or the bulk writer that made it, and say as of when
    the figures are. Never waits for a refresh running elsewhere: a large one still
    uncommitted reads as a large change."""
    now = clock.now()
    # Independent reads, sent at once: the wait of the longest, not of each in a row. One
    # count per partial index: for their OR, or under a LIMIT (expecting many rows to match),
    # PostgreSQL reads the whole table instead.
    (state, changed), *passed = await asyncio.gather(
        _changed_since_refresh(limit=READ_REFRESH_LIMIT),
        *(ReportMetric.count().where(pending) for pending in _deadline_passed(now)),
    )
    if changed + sum(passed) > READ_REFRESH_LIMIT:
        return FiguresAge(as_of=state["refreshed_at"] if state else None, catching_up=True)
    if changed or any(passed):
        await refresh()
    return FiguresAge(as_of=now, catching_up=False)


_NEVER: dict[str, Any] = {"last_report_id": 0, "changed_until": None}


async def _changed_since_refresh(*, limit: int) -> tuple[dict[str, Any] | None, int]:
    """The refresh state (None: nothing ever derived, a fresh database or a bulk import to
    catch up) and how many reports changed since it, counted up to `limit` + 1: the test of
    `_changed_report_ids`, on at most that many candidates."""
    state = await MetricsRefresh.select().where(MetricsRefresh.id == STATE_ID).first()
    since = state or _NEVER
    newer = Report.id > since["last_report_id"]
    if since["changed_until"] is not None:
        newer = newer | (Report.updated_at > since["changed_until"] - CHANGE_MARGIN)
    candidates = await Report.select(Report.id, Report.updated_at).where(newer).limit(limit + 1)
    if len(candidates) > limit or not candidates:
        return state, len(candidates)
    derived_from = {
        row["report"]: row["source_updated_at"]
        for row in await ReportMetric.select(
            ReportMetric.report, ReportMetric.source_updated_at
        ).where(ReportMetric.report.is_in([row["id"] for row in candidates]))
    }
    return state, sum(derived_from.get(row["id"]) != row["updated_at"] for row in candidates)


def _deadline_passed(now: datetime) -> tuple[Any, ...]:
    """Derived reports waiting on a deadline now passed; one condition per partial index."""
    return (
        ReportMetric.first_response_met.is_null() & (ReportMetric.first_response_due <= now),
        ReportMetric.resolution_met.is_null() & (ReportMetric.resolution_due <= now),
        (ReportMetric.overdue == False) & overdue_where(now, ReportMetric.current_due),  # noqa: E712
    )


async def refresh(
    *, rebuild: bool = False, progress: RefreshProgress | None = None
) -> RefreshOutcome:
    """Bring ReportMetric and the rollups up to date with the reports."""
    now = clock.now()
    if not rebuild:
        state = await MetricsRefresh.select().where(MetricsRefresh.id == STATE_ID).first()
        if state and not await _changed_report_ids(state, now):
            return RefreshOutcome(reports=0, days=0)
    async with write_transaction():
        state = await _locked_state()
        if rebuild:
            for table in (DepartmentDay, DepartmentWeek, ReportMetric, ReportTally):
                await table.delete(force=True)
            state = {**state, "last_report_id": 0, "changed_until": None}
        ids = await _changed_report_ids(state, now)
        calendar = await working_calendar()
        departments = {row["id"]: row for row in await Department.select()}
        # The change to each rollup row, summed over every batch, written once at the end.
        deltas: dict[Key, dict[str, Any]] = {}
        tally: Tally = {}
        last_id, changed_until = state["last_report_id"], state["changed_until"]
        for start in range(0, len(ids), BATCH):
            batch_last_id, batch_changed = await _derive_batch(
                ids[start : start + BATCH],
                calendar=calendar,
                departments=departments,
                now=now,
                deltas=deltas,
                tally=tally,
            )
            last_id = max(last_id, batch_last_id)
            changed_until = max(filter(None, (changed_until, batch_changed)), default=None)
            if progress:
                progress(min(start + BATCH, len(ids)), len(ids))
        days = await _apply(DepartmentDay, deltas)
        await _apply(DepartmentWeek, _by_week(deltas))
        await _apply_tally(tally)
        await MetricsRefresh.update(
            {
                MetricsRefresh.last_report_id: last_id,
                MetricsRefresh.changed_until: changed_until,
                MetricsRefresh.refreshed_at: now,
            }
        ).where(MetricsRefresh.id == STATE_ID)
    return RefreshOutcome(reports=len(ids), days=days)


async def _locked_state() -> dict[str, Any]:
    """The one state row, locked: concurrent refreshes queue here and then find less to do.
    Its fixed id keeps two first refreshes from making two rows."""
    await MetricsRefresh.insert(MetricsRefresh(id=STATE_ID, last_report_id=0)).on_conflict(
        action="DO NOTHING"
    )
    query = MetricsRefresh.select().where(MetricsRefresh.id == STATE_ID)
    state = await (query if is_sqlite() else query.lock_rows()).first()
    if state is None:
        raise AssertionError("unreachable: the state row was inserted above")
    return state


async def _changed_report_ids(state: dict[str, Any], now: datetime) -> list[int]:
    """Reports whose ReportMetric row is missing, stale, or waits on a deadline now passed."""
    last_id = state["last_report_id"]
    newer = Report.id > last_id
    if state["changed_until"] is not None:
        newer = newer | (Report.updated_at > state["changed_until"] - CHANGE_MARGIN)
    candidates = await Report.select(Report.id, Report.updated_at).where(newer)
    seen = [row["id"] for row in candidates if row["id"] <= last_id]
    derived_from: dict[int, datetime] = {}
    for start in range(0, len(seen), BATCH):
        for row in await ReportMetric.select(
            ReportMetric.report, ReportMetric.source_updated_at
        ).where(ReportMetric.report.is_in(seen[start : start + BATCH])):
            derived_from[row["report"]] = row["source_updated_at"]
    changed = {row["id"] for row in candidates if derived_from.get(row["id"]) != row["updated_at"]}
    for pending in _deadline_passed(now):
        passed = await ReportMetric.select(ReportMetric.report).where(pending)
        changed.update(row["report"] for row in passed)
    return sorted(changed)


async def _derive_batch(
    ids: list[int],
    *,
    calendar: WorkingCalendar,
    departments: dict[int, dict[str, Any]],
    now: datetime,
    deltas: dict[Key, dict[str, Any]],
    tally: Tally,
) -> tuple[int, datetime | None]:
    """Derive the reports `ids` again, replace their ReportMetric rows, and add the change to
    `deltas`. Returns the highest id and `updated_at` seen."""
    reports = await Report.select(*_REPORT_COLUMNS).where(Report.id.is_in(ids))
    events: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for row in await ReportEvent.select(
        ReportEvent.report, ReportEvent.kind, ReportEvent.created_at
    ).where(ReportEvent.report.is_in(ids) & ReportEvent.kind.is_in(list(CLOCK_EVENTS))):
        events[row["report"]].append((row["kind"], row["created_at"]))
    for old in await ReportMetric.select(
        *ReportMetric.all_columns(exclude=[ReportMetric.id])
    ).where(ReportMetric.report.is_in(ids)):
        derived = msgspec.convert(old, ReportMetrics)
        add_to_rollup(deltas, derived, sign=-1)
        add_to_tally(tally, derived, sign=-1)
    metrics = [
        derive(
            report,
            clock_events=events.get(report["id"], []),
            department=departments.get(report["department"]),
            calendar=calendar,
            now=now,
        )
        for report in reports
    ]
    for metric in metrics:
        add_to_rollup(deltas, metric)
        add_to_tally(tally, metric)
    await ReportMetric.delete().where(ReportMetric.report.is_in(ids))
    await _insert(ReportMetric, [msgspec.structs.asdict(metric) for metric in metrics])
    return (
        max((r["id"] for r in reports), default=0),
        max((r["updated_at"] for r in reports), default=None),
    )


def _by_week(deltas: dict[Key, dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    weekly: dict[Key, dict[str, Any]] = {}
    for (day, department), delta in deltas.items():
        key = (week_of(day), department)
        row = weekly.setdefault(key, _empty(key))
        for name in _COUNTERS:
            row[name] += delta[name]
        for name in _BINS:
            row[name] = [a + b for a, b in zip(row[name], delta[name], strict=True)]
    return weekly


async def _apply(
    table: type[DepartmentDay | DepartmentWeek], deltas: dict[Key, dict[str, Any]]
) -> int:
    """Add `deltas` (keyed by the table's first date column and department) to `table`.
    The rows of the dates and departments involved (a superset of the changed keys) are
    read, changed, deleted and written back as a block. Returns how many dates."""
    start_column = table.day if issubclass(table, DepartmentDay) else table.week
    name = start_column._meta.name
    dates = sorted({start for start, _ in deltas})
    department_ids = sorted({d for _, d in deltas if d is not None})
    with_triage = any(d is None for _, d in deltas)
    for offset in range(0, len(dates), DAY_CHUNK):
        chunk = dates[offset : offset + DAY_CHUNK]
        condition = start_column.is_in(chunk) & _department_filter(
            table.department, department_ids, with_triage
        )
        rows: dict[Key, dict[str, Any]] = {}
        for row in await table.select().where(condition).output(load_json=True):
            row.pop("id")
            for bins in _BINS:
                row[bins] = list(row[bins]) + [0] * (BIN_COUNT - len(row[bins]))
            rows[(row[name], row["department"])] = row
        for key in [key for key in deltas if key[0] in chunk]:
            row = rows.setdefault(key, _empty(key))
            delta = deltas[key]
            for counter in _COUNTERS:
                row[counter] += delta[counter]
            for bins in _BINS:
                row[bins] = [a + b for a, b in zip(row[bins], delta[bins], strict=True)]
        await table.delete().where(condition)
        kept = [row for row in rows.values() if row["received"]]
        for row in kept:
            for bins in _BINS:
                while row[bins] and row[bins][-1] == 0:  # trailing zeros say nothing
                    row[bins].pop()
        await _insert(table, kept)
    return len(dates)


async def _apply_tally(tally: Tally) -> None:
    """Add the changes to ReportTally: a few thousand rows, so read whole and written back
    whole when anything changed (a count, or only whether reports are overdue: a deadline
    passed)."""
    if not any(change[0] or change[2] for change in tally.values()):
        return
    rows: Tally = {
        (row["department"], row["status"], row["channel"], row["confidence_bucket"]): [
            row["reports"],
            row["confidence_sum"],
            row["overdue"],
        ]
        for row in await ReportTally.select()
    }
    for key, change in tally.items():
        current = rows.setdefault(key, [0, 0.0, 0])
        for n, value in enumerate(change):
            current[n] += value
    await ReportTally.delete(force=True)
    await insert_rows(
        ReportTally,
        [
            {
                "department": department,
                "status": status,
                "channel": channel,
                "confidence_bucket": bucket,
                "reports": int(count),
                # float noise of adding and taking out is no confidence
                "confidence_sum": round(total, 6) if bucket is not None else 0.0,
                "overdue": int(overdue),
            }
            for (department, status, channel, bucket), (count, total, overdue) in rows.items()
            if count
        ],
    )


async def _insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Every column of each row, absent ones as NULL: a full rebuild writes a row per report,
    so they go in bulk (db.engine.insert_rows)."""
    columns = [column._meta.db_column_name for column in table._meta.non_default_columns]
    await insert_rows(table, [{name: row.get(name) for name in columns} for row in rows])


def _department_filter(column: Any, department_ids: list[int], with_triage: bool) -> Any:
    if not department_ids:
        return column.is_null()
    condition = column.is_in(department_ids)
    return condition | column.is_null() if with_triage else condition
