"""The metric definitions: periods, duration bins and percentiles, and the figures of a set of
reports. Every definition is written out in docs/metrics.md; this module is its code.

The figures of a period are additive (counts, sums, bin counts), so the figures of a week, a
department, a dimension or the whole city are the sum of daily rollup rows
(core.figures.rollup), and the rates, means and percentiles are derived from the sums.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from core.errors import InvalidInput
from i18n import N_

K = TypeVar("K", bound=Hashable)

# Upper edges of the duration bins, in working days: a tenth of a day up to 2 days, then
# half days to 10, whole days to 30 and five days to 120; longer goes to an overflow bin.
# A duration falls into the first bin whose edge it does not exceed.
BIN_EDGES: tuple[float, ...] = (
    *(n / 10 for n in range(1, 21)),
    *(n / 2 for n in range(5, 21)),
    *(float(n) for n in range(11, 31)),
    *(float(n) for n in range(35, 121, 5)),
)
OVERFLOW = math.inf  # the value reported for a percentile that falls in the overflow bin
BIN_COUNT = len(BIN_EDGES) + 1
# Durations are compared after rounding away float noise from summing hours.
_DIGITS = 6

SMART_CITY_DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
HALF_YEARS = {1: (1, 6), 2: (7, 12)}


def bin_index(days: float) -> int:
    value = round(days, _DIGITS)
    for index, edge in enumerate(BIN_EDGES):
        if value <= edge:
            return index
    return len(BIN_EDGES)


def percentile(bins: Sequence[int], share: float) -> float | None:
    """Nearest-rank percentile: the upper edge of the bin holding the value at rank
    ceil(share × n). None when there are no durations; OVERFLOW past the last edge."""
    total = sum(bins)
    if total == 0:
        return None
    rank = max(1, math.ceil(round(share * total, _DIGITS)))
    seen = 0
    for index, count in enumerate(bins):
        seen += count
        if seen >= rank:
            return BIN_EDGES[index] if index < len(BIN_EDGES) else OVERFLOW
    raise AssertionError("unreachable: the rank is at most the total")


def add_bins(left: Sequence[int], right: Sequence[int]) -> tuple[int, ...]:
    width = max(len(left), len(right))
    return tuple(
        (left[i] if i < len(left) else 0) + (right[i] if i < len(right) else 0)
        for i in range(width)
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Figures:
    """The additive figures of a set of reports received in a period (see docs/metrics.md)."""

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
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            values[f.name] = add_bins(mine, theirs) if f.name.endswith("_bins") else mine + theirs
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


_BINS = ("first_response_bins", "resolution_bins")
_COUNTS = tuple(f.name for f in fields(Figures) if f.name not in _BINS)
_NAMED = re.compile(r"^(?:(\d{1,4})D|(\d{4})|(\d{4})-(\d{2})|(\d{4})-Q([1-4])|(\d{4})-H([12]))$")
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """Calendar days from `start` to `end`, both included, on the city's calendar."""

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
            return cls(today - timedelta(days=count - 1), today, f"{count}d")
        if year:
            return cls(_year_date(year, 1, 1), date(int(year), 12, 31), key)
        if year_m:
            if not 1 <= int(month) <= 12:
                raise InvalidInput(
                    N_("Periode tidak valid: bulan 01 sampai 12."),
                    field="period",
                )
            return cls(_year_date(year_m, int(month), 1), _month_end(int(year_m), int(month)), key)
        if year_q:
            first = 3 * int(quarter) - 2
            return cls(_year_date(year_q, first, 1), _month_end(int(year_q), first + 2), key)
        return cls.half_year(int(year_h), int(half))

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        """January–June (1) or July–December (2): the evaluation periods."""
        first, last = HALF_YEARS[half]
        return cls(_year_date(str(year), first, 1), _month_end(year, last), f"{year}-H{half}")

    @classmethod
    def half_year_of(cls, day: date) -> Period:
        return cls.half_year(day.year, 1 if day.month <= 6 else 2)

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


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


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
