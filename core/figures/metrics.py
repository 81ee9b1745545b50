"""The metric definitions: duration bins, percentiles and weeks (the records built on them,
Period and Figures, are in core.figures.models). Every definition is written out in
docs/metrics.md; this module is its code.

The figures of a period are additive (counts, sums, bin counts), so the figures of a week, a
department, a dimension or the whole city are the sum of daily rollup rows
(core.figures.rollup), and the rates, means and percentiles are derived from the sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

# Upper edges of the duration bins, in working days: a tenth of a day up to 2 days, then
# half days to 10, whole days to 30 and five days to 120; longer goes to an overflow bin.
# A duration falls into the first bin whose edge it does not exceed.
BIN_EDGES: tuple[float, ...] = (
    *(n / 10 for n in range(1, 21)),
    *(n / 2 for n in range(5, 21)),
    *(float(n) for n in range(11, 31)),
    *(float(n) for n in range(35, 121, 5)),
)
# Upper bounds of the classifier-confidence histogram (/metrics).
CONFIDENCE_BUCKETS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
OVERFLOW = math.inf  # the value reported for a percentile that falls in the overflow bin
BIN_COUNT = len(BIN_EDGES) + 1
# Durations are compared after rounding away float noise from summing hours.
_DIGITS = 6


def confidence_bucket(confidence: float | None) -> int | None:
    """The first CONFIDENCE_BUCKETS bound `confidence` does not exceed; None: unclassified."""
    if confidence is None:
        return None
    return next(
        (n for n, bound in enumerate(CONFIDENCE_BUCKETS) if confidence <= bound),
        len(CONFIDENCE_BUCKETS) - 1,
    )


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


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
