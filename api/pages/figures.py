"""How figures read on the leadership and transparency pages: shares, working days, counts
and means in the visitor's language, and the weekly series the trend charts draw."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date

from core.figures.metrics import BIN_EDGES
from core.figures.models import Period, TrendPoint
from i18n import format_number, gettext

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
