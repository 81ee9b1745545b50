"""What leadership, heads and the public see: the figures of a period per department, per
smart-city dimension, per week and for the whole city, and what is waiting right now.

Everything comes from the rollups of core.figures.rollup, brought up to date first when
little changed (else read as of their last refresh while the scheduler catches up): a
period reads one row per full week and department, and day rows at its edges; "now" figures
(backlog by age, overdue) sum the open reports counted on every day row. The one list of
reports, a department's longest overdue, is read from the queue index.
Definitions: docs/metrics.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.query.functions.aggregate import Count

from core import clock
from core.catalogue.administration import DIMENSIONS
from core.catalogue.public import UNKNOWN_DEPARTMENT
from core.errors import InvalidInput, NotFound
from core.figures.metrics import week_of
from core.figures.models import (
    BacklogPoint,
    Change,
    Dashboard,
    DashboardLine,
    DepartmentDetail,
    DepartmentFigures,
    DepartmentsFigures,
    Figures,
    OverdueReport,
    Period,
    TrendPoint,
    Waiting,
)
from core.figures.rollup import for_reading
from core.reports.lifecycle import ACTIVE
from core.reports.merging import MERGED_EVENT, UNMERGED_EVENT
from core.reports.models import DepartmentRef
from core.service_levels.deadlines import overdue_where, working_calendar
from core.service_levels.ladder import STEPS
from db.engine import is_sqlite
from db.tables import Department, DepartmentDay, DepartmentWeek, Report, ReportEvent

# Backlog age bands, in whole calendar days since the day received: (upper bound, label),
# the labels written from the bounds.
_AGE_LIMITS = (3, 7, 30, 90)
AGE_BANDS: tuple[tuple[int | None, str], ...] = (
    *(
        (upper, f"{lower}–{upper}")
        for lower, upper in zip(
            (0, *(limit + 1 for limit in _AGE_LIMITS[:-1])), _AGE_LIMITS, strict=True
        )
    ),
    (None, f"> {_AGE_LIMITS[-1]}"),
)
OVERDUE_LIST_LIMIT = 20
_SIX_DAYS = timedelta(days=6)
ESCALATION_KINDS = {kind: level for level, kind in STEPS.items()}
NOTHING_WAITING = Waiting(backlog=(0,) * len(AGE_BANDS))

# The headline figures compared with the period before: (the figure, whether more is better
# (None: neither), whether it is a count, whose change reads as a share of the old value).
HEADLINE: dict[str, tuple[Callable[[Figures], float | None], bool | None, bool]] = {
    "received": (lambda f: f.received, None, True),
    "first_response_compliance": (lambda f: f.first_response_compliance, True, False),
    "median_first_response": (lambda f: f.median_first_response, False, False),
    "resolved": (lambda f: f.resolutions, True, True),
    "rating": (lambda f: f.rating_mean, True, False),
}
# Events that take a report out of the backlog (triage, open, in progress), and back in.
LEAVES_BACKLOG = ("resolved", "rejected", "referred", MERGED_EVENT)
RETURNS_TO_BACKLOG = ("reopened", UNMERGED_EVENT)

# What waits now, from the day rows: each counts the open reports received that day.
_WAITING = """
SELECT department, SUM(open_now) AS active,
       SUM(CASE WHEN day < {} THEN open_now ELSE 0 END) AS older_3,
       SUM(CASE WHEN day < {} THEN open_now ELSE 0 END) AS older_7,
       SUM(CASE WHEN day < {} THEN open_now ELSE 0 END) AS older_30,
       SUM(CASE WHEN day < {} THEN open_now ELSE 0 END) AS older_90,
       SUM(overdue) AS overdue
FROM department_day
WHERE open_now > 0
GROUP BY department
"""


async def city_today() -> date:
    """Today's date on the city's calendar (the default periods end today)."""
    return clock.now().astimezone((await working_calendar()).tz).date()


async def dashboard(*, period: Period) -> Dashboard:
    """Every department, dimension and week of `period`, and what waits now."""
    age = await for_reading()
    now = clock.now()
    departments = await _departments()
    rows = await _rollup(period)
    per_department = Figures.sum_rows(rows, key=lambda row: row["department"])
    per_week = Figures.sum_rows(rows, key=lambda row: row["week"])
    waiting = await _waiting()
    escalations = await _escalations(period)
    lines = [
        DashboardLine(
            key=d["code"],
            name=d["name"],
            figures=per_department.get(d["id"], Figures()),
            waiting=waiting.get(d["id"], NOTHING_WAITING),
            escalations=escalations.get(d["id"], (0, 0, 0)),
        )
        for d in departments
    ]
    dimensions = [
        _sum_lines(
            dimension,
            dimension,
            [line for line, d in zip(lines, departments, strict=True) if dimension in d["dims"]],
        )
        for dimension in DIMENSIONS
    ]
    triage = DashboardLine(
        key="TRIAGE",
        name="triage",
        figures=per_department.get(None, Figures()),
        waiting=waiting.get(None, NOTHING_WAITING),
        escalations=escalations.get(None, (0, 0, 0)),
    )
    city = _sum_lines("CITY", "city", [*lines, triage])
    previous = _previous(period)
    before = (
        Figures.total(Figures.sum_rows(await _rollup(previous), key=lambda row: 0).values())
        if previous
        else None
    )
    return Dashboard(
        period=period,
        generated_at=age.as_of or now,
        catching_up=age.catching_up,
        previous=previous,
        changes=compare(city.figures, before) if before is not None else {},
        backlog=await backlog_trend(period=period, now=now),
        city=city,
        triage=triage,
        departments=lines,
        dimensions=dimensions,
        weeks=[
            TrendPoint(week=week, figures=per_week.get(week, Figures())) for week in period.weeks()
        ],
    )


async def department_detail(*, code: str, period: Period) -> DepartmentDetail:
    """One department: its figures, its weeks, and its oldest overdue reports."""
    department = (
        await Department.select(Department.id, Department.code, Department.name)
        .where(Department.code == code.strip().upper())
        .first()
    )
    if department is None:
        raise NotFound(
            UNKNOWN_DEPARTMENT,
            code=code,
            field="department",
        )
    age = await for_reading()
    now = clock.now()
    per_week = Figures.sum_rows(
        await _rollup(period, department_id=department["id"]), key=lambda row: row["week"]
    )
    waiting = await _waiting()
    escalations = await _escalations(period)
    overdue = (
        await Report.select(
            Report.tracking_code,
            Report.status,
            Report.urgent,
            Report.due_at,
            Report.ladder.level.as_alias("escalation_level"),
        )
        .where(
            (Report.department == department["id"])
            & Report.status.is_in(["open", "in_progress"])
            & overdue_where(now)
        )
        .order_by(Report.due_at)
        .limit(OVERDUE_LIST_LIMIT)
    )
    figures = Figures.total(per_week.values())
    previous = _previous(period)
    before = (
        Figures.total(
            Figures.sum_rows(
                await _rollup(previous, department_id=department["id"]), key=lambda row: 0
            ).values()
        )
        if previous
        else None
    )
    return DepartmentDetail(
        period=period,
        generated_at=age.as_of or now,
        catching_up=age.catching_up,
        previous=previous,
        changes=compare(figures, before) if before is not None else {},
        department=DepartmentRef(code=department["code"], name=department["name"]),
        line=DashboardLine(
            key=department["code"],
            name=department["name"],
            figures=figures,
            waiting=waiting.get(department["id"], NOTHING_WAITING),
            escalations=escalations.get(department["id"], (0, 0, 0)),
        ),
        weeks=[
            TrendPoint(week=week, figures=per_week.get(week, Figures())) for week in period.weeks()
        ],
        overdue=[msgspec.convert(row, OverdueReport) for row in overdue],
    )


def compare(current: Figures, previous: Figures) -> dict[str, Change]:
    """Each headline figure (HEADLINE) against the period before."""
    changes = {}
    for metric, (value_of, more_is_better, is_count) in HEADLINE.items():
        now, before = _finite(value_of(current)), _finite(value_of(previous))
        delta = None if now is None or before is None else now - before
        better = None
        if delta and more_is_better is not None:
            better = (delta > 0) == more_is_better
        changes[metric] = Change(
            metric=metric,
            current=now,
            previous=before,
            delta=delta,
            relative=delta / before if is_count and delta is not None and before else None,
            better=better,
        )
    return changes


def _finite(value: float | None) -> float | None:
    return None if value is None or value == float("inf") else float(value)


def _previous(period: Period) -> Period | None:
    try:
        return period.previous()
    except InvalidInput:  # before the first year a period may name
        return None


async def backlog_trend(*, period: Period, now: datetime) -> list[BacklogPoint]:
    """The reports open (triage, open, in progress) at the end of each week of `period`,
    or now for the week not yet over: today's open reports, less those received since,
    plus those that left the backlog since, less those that came back (the timeline's
    events: LEAVES_BACKLOG, RETURNS_TO_BACKLOG)."""
    tz = (await working_calendar()).tz
    ends: list[tuple[date, datetime]] = []
    for week in period.weeks():
        day = min(week + timedelta(days=7), period.end + timedelta(days=1))
        at = min(datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC), now)
        if datetime.combine(week, time(0), tzinfo=tz) <= now:
            ends.append((week, at))
    if not ends:
        return []
    first = ends[0][1]
    open_now = await Report.count().where(Report.status.is_in(list(ACTIVE)))
    received = await _per_day("report", since=first, tz=tz)
    left = await _per_day("report_event", since=first, tz=tz, kinds=LEAVES_BACKLOG)
    returned = await _per_day("report_event", since=first, tz=tz, kinds=RETURNS_TO_BACKLOG)

    def since(days: dict[date, int], at: datetime) -> int:
        if at >= now:
            return 0  # nothing happens after now
        day = at.astimezone(tz).date()  # a week's end is midnight in the city
        return sum(count for received_on, count in days.items() if received_on >= day)

    return [
        BacklogPoint(
            week=week,
            at=at,
            open=open_now - since(received, at) + since(left, at) - since(returned, at),
        )
        for week, at in ends
    ]


async def _per_day(
    table: str, *, since: datetime, tz: ZoneInfo, kinds: tuple[str, ...] = ()
) -> dict[date, int]:
    """Rows of `table` (report, or report_event of `kinds`) created from `since` on, counted
    per day in the city: one indexed range, grouped in the database."""
    if is_sqlite():  # the city's offset at `since` (WIB keeps one all year)
        offset = int((tz.utcoffset(since.replace(tzinfo=None)) or timedelta()).total_seconds())
        day, values = f"date(created_at, '{offset:+d} seconds')", []
    else:
        day, values = "CAST(created_at AT TIME ZONE {} AS DATE)", [tz.key]
    kind = f" AND kind IN ({', '.join('{}' for _ in kinds)})" if kinds else ""
    rows = await Report.raw(
        f"SELECT {day} AS day, COUNT(*) AS n FROM {table} "  # noqa: S608 (names are constants)
        f"WHERE created_at >= {{}}{kind} GROUP BY 1",
        *values,
        since,
        *kinds,
    )
    return {date.fromisoformat(str(row["day"])): int(row["n"]) for row in rows}


async def department_figures(*, period: Period) -> DepartmentsFigures:
    """Each department with its figures of `period` (for the public and the evaluation)."""
    age = await for_reading()
    per_department = Figures.sum_rows(await _rollup(period), key=lambda row: row["department"])
    return DepartmentsFigures(
        age=age,
        departments=[
            DepartmentFigures(
                department=DepartmentRef(code=d["code"], name=d["name"]),
                figures=per_department.get(d["id"], Figures()),
            )
            for d in await _departments()
        ],
    )


async def _departments() -> list[dict[str, Any]]:
    rows = (
        await Department.select(
            Department.id,
            Department.code,
            Department.name,
            Department.short_name,
            Department.dimensions.as_alias("dims"),
        )
        .where(Department.active == True)  # noqa: E712
        .order_by(Department.id)
        .output(load_json=True)
    )
    return list(rows)


async def _rollup(period: Period, *, department_id: int | None = None) -> list[dict[str, Any]]:
    """Rollup rows covering `period` exactly: a week row for each week wholly inside it, day
    rows for the days of the weeks it cuts. Each row has `week` and `department`."""
    whole = [w for w in period.weeks() if w >= period.start and w + _SIX_DAYS <= period.end]
    edges = [day for day in period.each_day() if week_of(day) not in set(whole)]
    rows: list[dict[str, Any]] = []
    for table, column, dates in (
        (DepartmentWeek, DepartmentWeek.week, whole),
        (DepartmentDay, DepartmentDay.day, edges),
    ):
        if not dates:
            continue
        query = table.select().where(column.is_in(dates))
        if department_id is not None:
            query = query.where(table.department == department_id)
        rows.extend(await query.output(load_json=True))
    return rows


async def _waiting() -> dict[int | None, Waiting]:
    today = await city_today()
    bounds = [today - timedelta(days=days) for days, _ in AGE_BANDS if days is not None]
    rows = await DepartmentDay.raw(_WAITING, *bounds)
    result = {}
    for row in rows:
        older = [row["older_3"] or 0, row["older_7"] or 0, row["older_30"] or 0]
        older += [row["older_90"] or 0]
        cumulative = [row["active"], *older, 0]
        backlog = tuple(cumulative[i] - cumulative[i + 1] for i in range(len(AGE_BANDS)))
        result[row["department"]] = Waiting(backlog=backlog, overdue=row["overdue"] or 0)
    return result


async def _escalations(period: Period) -> dict[int | None, tuple[int, int, int]]:
    """Escalation steps taken in `period`, per department and level
    (core.service_levels.escalation)."""
    start, end = period.bounds((await working_calendar()).tz)
    rows = (
        await ReportEvent.select(ReportEvent.department, ReportEvent.kind, Count())
        .where(
            ReportEvent.kind.is_in(list(ESCALATION_KINDS))
            & (ReportEvent.created_at >= start)
            & (ReportEvent.created_at < end)
        )
        .group_by(ReportEvent.department, ReportEvent.kind)
    )
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        counts[row["department"]][ESCALATION_KINDS[row["kind"]] - 1] += row["count"]
    return {department: (a, b, c) for department, (a, b, c) in counts.items()}


def _sum_lines(key: str, name: str, lines: list[DashboardLine]) -> DashboardLine:
    first, second, third = (sum(line.escalations[level] for line in lines) for level in range(3))
    return DashboardLine(
        key=key,
        name=name,
        figures=Figures.total(line.figures for line in lines),
        waiting=sum((line.waiting for line in lines), NOTHING_WAITING),
        escalations=(first, second, third),
    )
