"""Figures per kecamatan for leadership: reports received in a period, and the open ones
overdue now, for each of Kota Malang's five kecamatan (core.place) and for reports whose
place told none."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from core import clock
from core.figures.models import Period
from core.place.boundaries import KECAMATAN
from core.reports.lifecycle import ACTIVE, Status
from core.service_levels.deadlines import overdue_where, working_calendar
from db.tables import Report


class KecamatanFigures(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the table; `kecamatan` None: reports without a point or a named place."""

    kecamatan: str | None
    received: int
    overdue: int


async def kecamatan_figures(*, period: Period) -> list[KecamatanFigures]:
    """The five kecamatan in order, then the reports that name none."""
    tz = (await working_calendar()).tz
    start = datetime.combine(period.start, time.min, tzinfo=tz)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz)
    # A report merged into a case is received once, as the case.
    received = await _counts(
        (Report.created_at >= start) & (Report.created_at < end) & (Report.status != Status.MERGED)
    )
    overdue = await _counts(Report.status.is_in(list(ACTIVE)) & overdue_where(clock.now()))
    return [
        KecamatanFigures(
            kecamatan=name, received=received.get(name, 0), overdue=overdue.get(name, 0)
        )
        for name in (*KECAMATAN, None)
    ]


async def _counts(condition: Any) -> dict[str | None, int]:
    rows = (
        await Report.select(Report.kecamatan, Count(Report.id, alias="count"))
        .where(condition)
        .group_by(Report.kecamatan)
    )
    return {row["kecamatan"]: row["count"] for row in rows}
