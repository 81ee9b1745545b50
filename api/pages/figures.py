"""How figures read on the leadership and transparency pages: shares, working days, counts
and means in the visitor's language, a change from the period before, the weekly series the
trend charts draw, and the columns the tables sort by (`sort=key` ascending, `sort=-key`
descending; the same values sort in the browser, static/leadership.js)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from core.figures.metrics import BIN_EDGES
from core.figures.models import (
    BacklogPoint,
    Change,
    DashboardLine,
    EvaluationLine,
    Figures,
    Period,
    TrendPoint,
)
from core.reports.models import DepartmentRef
from i18n import format_number, gettext

T = TypeVar("T")
Value = float | str | None
SORT_PARAM = 40  # longest sort key accepted

NONE = "—"


@dataclass(frozen=True)
class Numbers:
    """Formatters for one language; templates call them as `num.pct(x)` and so on."""

    lang: str

    def _decimal(self, value: float, digits: int) -> str:
        return format_number(self.lang, value, decimals=digits)

    def count(self, value: int) -> str:
        return self._decimal(value, 0)

    def pct(self, share: float | None) -> str:
        return NONE if share is None else self._decimal(100 * share, 1) + " %"

    def days(self, value: float | None) -> str:
        """Working days, as a percentile of the duration bins reports them."""
        if value is None:
            return NONE
        if math.isinf(value):
            return gettext(self.lang, "> %(n)s hk", n=self._decimal(BIN_EDGES[-1], 0))
        return gettext(self.lang, "%(n)s hk", n=self._decimal(value, 1))

    def mean(self, value: float | None) -> str:
        return NONE if value is None else self._decimal(value, 2)

    def score(self, value: float | None) -> str:
        """The evaluation score, already rounded (EvaluationLine.score_shown)."""
        return NONE if value is None else self._decimal(value, 1)

    def change(self, change: Change | None) -> str:
        """'▲ 12 % dari periode sebelumnya': a count by its share of the old value, a share
        in percentage points, working days and ratings by their difference."""
        if change is None or change.delta is None:
            return gettext(self.lang, "periode sebelumnya tanpa data")
        if not change.delta:
            return gettext(self.lang, "= sama dengan periode sebelumnya")
        arrow = "▲" if change.delta > 0 else "▼"
        size = abs(change.delta)
        if change.relative is not None:
            amount = self._decimal(100 * abs(change.relative), 0) + " %"
        elif change.metric in ("received", "resolved"):
            amount = self.count(int(size))
        elif change.metric.endswith("compliance"):
            amount = gettext(self.lang, "%(n)s poin persen", n=self._decimal(100 * size, 1))
        elif change.metric.startswith("median"):
            amount = gettext(self.lang, "%(n)s hk", n=self._decimal(size, 1))
        else:
            amount = self._decimal(size, 2)
        return gettext(
            self.lang, "%(arrow)s %(amount)s dari periode sebelumnya", arrow=arrow, amount=amount
        )

    def day(self, value: date) -> str:
        return value.strftime("%d-%m-%Y")


def period_choices(current: Period, *, today: date) -> list[str]:
    """The period picker's keys: recent days, this and the last half, this year, and the
    period shown now."""
    half = Period.half_year_of(today)
    keys = ["7d", "30d", "90d", "365d", half.key, half.previous_half().key, str(today.year)]
    return keys if current.key in keys else [*keys, current.key]


def trend_json(weeks: list[TrendPoint], lang: str) -> str:
    """The weekly series for static/leadership.js, safe inside a <script> element."""
    data = {
        "labels": [point.week.strftime("%d-%m") for point in weeks],
        "received": [point.figures.received for point in weeks],
        "compliance": [
            None
            if point.figures.first_response_compliance is None
            else round(100 * point.figures.first_response_compliance, 1)
            for point in weeks
        ],
        "median": [
            None
            if point.figures.median_first_response in (None, math.inf)
            else point.figures.median_first_response
            for point in weeks
        ],
        "names": {
            "received": gettext(lang, "Laporan masuk"),
            "first_response_compliance": gettext(lang, "Tanggapan pertama tepat waktu"),
            "median_first_response": gettext(lang, "Median waktu tanggapan pertama"),
        },
    }
    return json.dumps(data).replace("<", "\\u003c")


def backlog_json(points: list[BacklogPoint], lang: str) -> str:
    """The open reports at each week's end, for the backlog chart."""
    data = {
        "labels": [point.week.strftime("%d-%m") for point in points],
        "open": [point.open for point in points],
        "name": gettext(lang, "Laporan terbuka di akhir minggu"),
    }
    return json.dumps(data).replace("<", "\\u003c")


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value


def line_values(line: DashboardLine) -> dict[str, Value]:
    """A dashboard line's sortable values, by column key (the cells' data-metric)."""
    f = line.figures
    return {
        "name": line.key,
        "received": f.received,
        "first_response_compliance": f.first_response_compliance,
        "median_first_response": _finite(f.median_first_response),
        "p90_first_response": _finite(f.p90_first_response),
        "resolution_compliance": f.resolution_compliance,
        "median_resolution": _finite(f.median_resolution),
        "p90_resolution": _finite(f.p90_resolution),
        "resolved": f.resolutions,
        "open": line.waiting.total,
        "overdue": line.waiting.overdue,
        "escalations": sum(line.escalations),
        "escalations_1": line.escalations[0],
        "escalations_2": line.escalations[1],
        "escalations_3": line.escalations[2],
        "reopen_rate": f.reopen_rate,
        "reroute_rate": f.reroute_rate,
        "rating": f.rating_mean,
    }


def evaluation_values(line: EvaluationLine) -> dict[str, Value]:
    f = line.figures
    return {
        "rank": line.rank,
        "name": line.name,
        "score": line.score_shown,
        "received": f.received,
        "first_response_compliance": f.first_response_compliance,
        "resolution_compliance": f.resolution_compliance,
        "rating": f.rating_mean,
        "reopen_rate": f.reopen_rate,
        "open_share": line.open_share,
        "letters": line.warning_letters,
        "policy_decisions": line.policy_decisions,
    }


def public_values(department: DepartmentRef, f: Figures) -> dict[str, Value]:
    return {
        "name": department.name,
        "received": f.received,
        "first_response_compliance": f.first_response_compliance,
        "median_first_response": _finite(f.median_first_response),
        "resolved": f.resolutions,
        "resolution_compliance": f.resolution_compliance,
        "rating": f.rating_mean,
    }


def cell_values(values: Callable[[T], dict[str, Value]]) -> Callable[[T], dict[str, str]]:
    """`values` as a table's cells carry them (data-value): an empty value empty."""

    def cells(item: T) -> dict[str, str]:
        return {key: "" if value is None else str(value) for key, value in values(item).items()}

    return cells


def sort_key(text: str | None) -> str:
    """The `sort=` parameter as given (`key` or `-key`), bounded; '' when absent."""
    return (text or "").strip()[:SORT_PARAM]


def sorted_by(
    items: Sequence[T], values: Callable[[T], dict[str, Value]], sort: str
) -> tuple[list[T], str]:
    """`items` in the order `sort` asks (`key` ascending, `-key` descending; an empty value
    last either way), and the sort applied ('' when `sort` names no column)."""
    key = sort.lstrip("-")
    if not items or key not in values(items[0]):
        return list(items), ""
    descending = sort.startswith("-")

    def order(item: T) -> tuple[bool, float | str]:
        value = values(item)[key]
        last = value is None  # an empty value sorts last, whichever the direction
        shown: float | str = 0 if value is None else value
        if isinstance(shown, str):
            shown = shown.casefold()
        return (not last if descending else last, shown)

    ranked = sorted(items, key=order, reverse=descending)
    return ranked, ("-" if descending else "") + key
