"""The typed records of the figures: what leadership, heads and the public read (a period,
its figures, the dashboard's lines and trend points, one department's drill-down), what the
rollup refresh reports, the six-monthly evaluation, and the rows of the CSV export.
Definitions: docs/metrics.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec

from core.errors import InvalidInput
from core.figures.metrics import add_bins, percentile, week_of
from core.reports.models import DepartmentRef
from i18n import N_

K = TypeVar("K", bound=Hashable)
HALF_YEARS = {1: (1, 6), 2: (7, 12)}
_BINS = ("first_response_bins", "resolution_bins")


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    """The additive figures of a set of reports received in a period (docs/metrics.md): the
    counts and duration bins leadership, heads and the public read; rates, means and
    percentiles are derived from them."""

    received: int = 0
    routed: int = 0
    ended: int = 0
    open_now: int = 0
    first_response_met: int = 0
    first_response_missed: int = 0
    resolution_met: int = 0
    resolution_missed: int = 0
    was_resolved: int = 0
    reopened: int = 0
    rerouted: int = 0
    rating_sum: int = 0
    rating_count: int = 0
    first_response_bins: tuple[int, ...] = ()
    resolution_bins: tuple[int, ...] = ()

    @classmethod
    def sum_rows(
        cls, rows: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], K]
    ) -> dict[K, Figures]:
        """The figures of rollup rows (DepartmentDay or DepartmentWeek, bins as lists),
        summed per `key(row)`. One pass with plain lists: a year is a thousand rows."""
        counts: dict[K, list[int]] = {}
        bins: dict[K, tuple[list[int], list[int]]] = {}
        for row in rows:
            group = key(row)
            if group not in counts:
                counts[group] = [0] * len(_COUNTS)
                bins[group] = ([], [])
            total = counts[group]
            for index, name in enumerate(_COUNTS):
                total[index] += row[name]
            for into, name in zip(bins[group], _BINS, strict=True):
                values = row[name] or ()
                if len(into) < len(values):
                    into.extend([0] * (len(values) - len(into)))
                for index, count in enumerate(values):
                    into[index] += count
        return {
            group: cls(
                **dict(zip(_COUNTS, total, strict=True)),
                first_response_bins=tuple(bins[group][0]),
                resolution_bins=tuple(bins[group][1]),
            )
            for group, total in counts.items()
        }

    def __add__(self, other: Figures) -> Figures:
        values: dict[str, Any] = {}
        for name in self.__struct_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            values[name] = add_bins(mine, theirs) if name in _BINS else mine + theirs
        return Figures(**values)

    @staticmethod
    def total(items: Iterable[Figures]) -> Figures:
        result = Figures()
        for item in items:
            result = result + item
        return result

    @property
    def first_response_compliance(self) -> float | None:
        """Share of decided first responses that came by the deadline."""
        return _ratio(self.first_response_met, self.first_response_met + self.first_response_missed)

    @property
    def resolution_compliance(self) -> float | None:
        return _ratio(self.resolution_met, self.resolution_met + self.resolution_missed)

    @property
    def first_responses(self) -> int:
        return sum(self.first_response_bins)

    @property
    def resolutions(self) -> int:
        return sum(self.resolution_bins)

    @property
    def median_first_response(self) -> float | None:
        return percentile(self.first_response_bins, 0.5)

    @property
    def p90_first_response(self) -> float | None:
        return percentile(self.first_response_bins, 0.9)

    @property
    def median_resolution(self) -> float | None:
        return percentile(self.resolution_bins, 0.5)

    @property
    def p90_resolution(self) -> float | None:
        return percentile(self.resolution_bins, 0.9)

    @property
    def reopen_rate(self) -> float | None:
        return _ratio(self.reopened, self.was_resolved)

    @property
    def reroute_rate(self) -> float | None:
        return _ratio(self.rerouted, self.routed)

    @property
    def rating_mean(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


_COUNTS = tuple(name for name in Figures.__struct_fields__ if name not in _BINS)
_NAMED = re.compile(r"^(?:(\d{1,4})D|(\d{4})|(\d{4})-(\d{2})|(\d{4})-Q([1-4])|(\d{4})-H([12]))$")
MAX_DAYS = 3 * 366


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """Calendar days from `start` to `end`, both included, on the city's calendar: what a
    dashboard, a page or the evaluation covers. `key` names it as the period picker does."""

    start: date
    end: date
    key: str

    @classmethod
    def parse(cls, text: str | None, *, today: date, default: str = "30d") -> Period:
        """`30d` (the last 30 days, today included), `2026`, `2026-03`, `2026-Q1`, `2026-H1`."""
        key = (text or default).strip().upper()
        match = _NAMED.match(key)
        if not match:
            raise InvalidInput(
                N_("Periode tidak dikenal; contoh: 30d, 2026, 2026-03, 2026-Q1, 2026-H1."),
                field="period",
            )
        days, year, year_m, month, year_q, quarter, year_h, half = match.groups()
        if days:
            count = int(days)
            if not 1 <= count <= MAX_DAYS:
                raise InvalidInput(
                    N_("Periode harus 1 sampai %(max_days)s hari."),
                    max_days=MAX_DAYS,
                    field="period",
                )
            return cls(start=today - timedelta(days=count - 1), end=today, key=f"{count}d")
        if year:
            return cls(start=_year_date(year, 1, 1), end=date(int(year), 12, 31), key=key)
        if year_m:
            if not 1 <= int(month) <= 12:
                raise InvalidInput(
                    N_("Periode tidak valid: bulan 01 sampai 12."),
                    field="period",
                )
            return cls(
                start=_year_date(year_m, int(month), 1),
                end=_month_end(int(year_m), int(month)),
                key=key,
            )
        if year_q:
            first = 3 * int(quarter) - 2
            return cls(
                start=_year_date(year_q, first, 1), end=_month_end(int(year_q), first + 2), key=key
            )
        return cls.half_year(int(year_h), int(half))

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        """January–June (1) or July–December (2): the evaluation periods."""
        first, last = HALF_YEARS[half]
        return cls(
            start=_year_date(str(year), first, 1), end=_month_end(year, last), key=f"{year}-H{half}"
        )

    @classmethod
    def half_year_of(cls, day: date) -> Period:
        return cls.half_year(day.year, 1 if day.month <= 6 else 2)

    def previous(self) -> Period:
        """The period just before, to compare with: the year, half, quarter or month before
        a named one; for `30d` and the like, as many days just before."""
        before = self.start - timedelta(days=1)
        if re.fullmatch(r"\d{4}", self.key):
            return Period.parse(str(before.year), today=before)
        if re.fullmatch(r"\d{4}-H[12]", self.key):
            return self.previous_half()
        if re.fullmatch(r"\d{4}-Q[1-4]", self.key):
            return Period.parse(f"{before.year}-Q{(before.month - 1) // 3 + 1}", today=before)
        if re.fullmatch(r"\d{4}-\d{2}", self.key):
            return Period.parse(f"{before.year}-{before.month:02d}", today=before)
        return Period(start=before - timedelta(days=self.days - 1), end=before, key=self.key)

    def previous_half(self) -> Period:
        """The half year before the one this period starts in."""
        if self.start.month >= 7:
            return Period.half_year(self.start.year, 1)
        return Period.half_year(self.start.year - 1, 2)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC moments: midnight of the first day to midnight after the last."""
        start = datetime.combine(self.start, time(0), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        return start, end

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches."""
        monday = week_of(self.start)
        mondays = []
        while monday <= self.end:
            mondays.append(monday)
            monday += timedelta(days=7)
        return mondays


def _year_date(year: str, month: int, day: int) -> date:
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput(
            N_("Periode tidak valid: tahun 2000 sampai 2100."),
            field="period",
        )
    return date(int(year), month, day)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


class Waiting(msgspec.Struct, frozen=True, kw_only=True):
    """Open reports right now: counts per backlog age band (core.figures.dashboard.AGE_BANDS)
    and past their deadline."""

    backlog: tuple[int, ...]
    overdue: int = 0

    def __add__(self, other: Waiting) -> Waiting:
        return Waiting(
            backlog=tuple(a + b for a, b in zip(self.backlog, other.backlog, strict=True)),
            overdue=self.overdue + other.overdue,
        )

    @property
    def total(self) -> int:
        return sum(self.backlog)


class DashboardLine(msgspec.Struct, frozen=True, kw_only=True):
    """One line of leadership's dashboard: a department, a dimension, triage or the whole city
    (`key` its code), with its figures of the period, what waits now and the escalation steps
    taken in the period, by level 1–3."""

    key: str
    name: str
    figures: Figures
    waiting: Waiting
    escalations: tuple[int, int, int] = (0, 0, 0)


class TrendPoint(msgspec.Struct, frozen=True, kw_only=True):
    """One week of a trend chart: the figures of the reports received that week (Monday on)."""

    week: date
    figures: Figures


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """A headline figure against the period before (core.figures.dashboard.compare): the
    difference (`delta`, in the figure's unit: a share's difference is in shares), the
    relative change of a count, and whether the change is for the better (None: neither,
    or nothing to compare)."""

    metric: str
    current: float | None
    previous: float | None
    delta: float | None
    relative: float | None  # counts only: (current − previous) / previous
    better: bool | None


class BacklogPoint(msgspec.Struct, frozen=True, kw_only=True):
    """Open reports (triage, open, in progress) at the end of a week (or now, for the week
    that has not ended)."""

    week: date
    at: datetime
    open: int


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    """Leadership's dashboard of a period: the city, triage, every department and dimension,
    the weekly trend, the backlog at each week's end, and the city's headline figures
    against the period before."""

    period: Period
    generated_at: datetime  # as of when the figures are (`age`)
    # The figures are as of `generated_at`, their last refresh, while the scheduler catches
    # up on a large change (a bulk import): the page says so.
    catching_up: bool = False
    city: DashboardLine
    triage: DashboardLine
    departments: list[DashboardLine]
    dimensions: list[DashboardLine]
    weeks: list[TrendPoint]
    previous: Period | None = None
    changes: dict[str, Change] = {}
    backlog: list[BacklogPoint] = []


class OverdueReport(msgspec.Struct, frozen=True, kw_only=True):
    """A report of a department's drill-down that is past its deadline."""

    tracking_code: str
    status: str
    urgent: bool
    due_at: datetime
    escalation_level: int | None  # None: no step of the ladder taken yet


class DepartmentDetail(msgspec.Struct, frozen=True, kw_only=True):
    """One department's drill-down, for leadership and its head: its line, its weeks, its
    longest overdue reports, and its headline figures against the period before."""

    period: Period
    generated_at: datetime
    # The figures are as of `generated_at`, their last refresh, while the scheduler catches
    # up on a large change (a bulk import): the page says so.
    catching_up: bool = False
    department: DepartmentRef
    line: DashboardLine
    weeks: list[TrendPoint]
    overdue: list[OverdueReport]
    previous: Period | None = None
    changes: dict[str, Change] = {}


class DepartmentFigures(msgspec.Struct, frozen=True, kw_only=True):
    """A department with its figures of a period, for the public and the evaluation."""

    department: DepartmentRef
    figures: Figures


class DepartmentsFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Every department's figures of a period, and as of when they are."""

    age: FiguresAge
    departments: list[DepartmentFigures]


class FiguresAge(msgspec.Struct, frozen=True, kw_only=True):
    """As of when a page's figures are: now, or, while the scheduler catches up on a large
    change (a bulk import), the moment of their last refresh (`catching_up`; None: the
    figures were never computed yet)."""

    as_of: datetime | None
    catching_up: bool


class RefreshOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """What one rollup refresh did, for the scheduler's summary."""

    reports: int  # reports derived again
    days: int  # days of rollup rebuilt


class ReportMetrics(msgspec.Struct, frozen=True, kw_only=True):
    """The derived figures of one report (a ReportMetric row, docs/metrics.md "Per report"):
    the rollup sums these. `department` is None while the report waits in triage; the service
    levels are None when no department's clock runs."""

    report: int
    department: int | None
    received_on: date
    urgent: bool
    ended: bool
    open_now: bool
    current_due: datetime | None
    overdue: bool
    was_resolved: bool
    reopened: bool
    rerouted: bool
    rating: int | None
    source_updated_at: datetime
    merged: bool = False
    # What the tally (/metrics) counts it by; None only on rows derived before it did.
    status: str | None = None
    channel: str | None = None
    confidence: float | None = None
    assigned_at: datetime | None = None
    first_response_due: datetime | None = None
    first_response_days: float | None = None
    first_response_met: bool | None = None
    resolution_due: datetime | None = None
    resolution_days: float | None = None
    resolution_met: bool | None = None


class WarningLetterEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A warning letter (surat teguran) issued against a department, as the evaluation lists it."""

    number: str
    department_code: str
    department_name: str
    tracking_code: str
    deadline: datetime
    issued_at: datetime


class ScoreParts(msgspec.Struct, frozen=True, kw_only=True):
    """The components of a department's evaluation score, each a share from 0 (worst) to 1
    (best), None without data (core.figures.evaluation.WEIGHTS)."""

    first_response: float | None
    resolution: float | None
    rating: float | None
    reopen: float | None
    backlog: float | None


class EvaluationLine(msgspec.Struct, frozen=True, kw_only=True):
    """A department's line of the six-monthly evaluation; `rank` None: too few reports to
    rank. Policy reviews decided in the half, and how many by their deadline, are listed, not
    scored."""

    rank: int | None
    code: str
    name: str
    figures: Figures
    components: ScoreParts
    score: float | None
    warning_letters: int
    policy_decisions: int = 0
    policy_decisions_on_time: int = 0

    @property
    def score_shown(self) -> float | None:
        """The score as the page and the CSV show it: rounded half up to one decimal,
        once, so both read the same digits."""
        if self.score is None:
            return None
        return float(Decimal(repr(self.score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def open_share(self) -> float | None:
        return self.figures.open_now / self.figures.routed if self.figures.routed else None


class Evaluation(msgspec.Struct, frozen=True, kw_only=True):
    """The six-monthly evaluation for leadership: the ranked table and the half's warning
    letters; `provisional` while the half is not over."""

    period: Period
    provisional: bool
    generated_at: datetime
    # The figures are as of `generated_at`, their last refresh, while the scheduler catches
    # up on a large change (a bulk import): the page says so.
    catching_up: bool = False
    lines: list[EvaluationLine]
    letters: list[WarningLetterEntry]


class ExportFilters(msgspec.Struct, frozen=True, kw_only=True):
    """The checked filters of a CSV export of reports; dates on the city's calendar, and the
    moments they start and end there."""

    department_id: int | None = None
    department_code: str | None = None
    statuses: tuple[str, ...] = ()
    since: date | None = None  # first day included
    until: date | None = None  # last day included
    starts_at: datetime | None = None  # the start of `since` in the city
    ends_before: datetime | None = None  # the start of the day after `until` in the city


class ExportRow(msgspec.Struct, frozen=True, kw_only=True):
    """A report as the CSV export reads it, before the public rules are applied to its place
    and text (core.figures.export)."""

    id: int
    tracking_code: str
    created_at: datetime
    status: str
    channel: str
    urgent: bool
    anonymous: bool
    confidential: bool
    stance: str | None
    # The case a merged report joined: the spreadsheet counts the case, not this row again.
    merged_into_code: str | None = None
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalation_level: int | None
    reopen_count: int
    reroute_count: int
    rating: int | None
    confidence: float | None
    latitude: float | None
    longitude: float | None
    address: str | None
    text: str
    department_code: str | None
    policy_code: str | None


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The operational figures /metrics shows, counted from the tables."""

    reports: dict[tuple[str, str], int] = {}  # (status, department) -> count
    overdue: dict[str, int] = {}  # department -> count
    received: dict[str, int] = {}  # channel -> count, ever
    confidence_buckets: list[int] = []  # cumulative, per bound
    confidence_count: int = 0
    confidence_sum: float = 0.0
    outbox: dict[tuple[str, str], int] = {}  # (channel, status) -> count
    outbox_lag_seconds: float = 0.0
