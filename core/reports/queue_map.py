"""The department's open reports as points on a map, coloured as the queue colours them."""

from __future__ import annotations

import msgspec

from core import clock
from core.reports.models import Band
from core.reports.queue import QUEUE_STATUSES, time_band
from db.tables import Report

# A department's open work; beyond this many points a map says it shows the most pressing.
MAX_POINTS = 2_000


class MapPoint(msgspec.Struct, frozen=True, kw_only=True):
    tracking_code: str
    lat: float
    lon: float
    band: Band | None
    urgent: bool
    kecamatan: str | None
    text: str


async def open_points(*, department_id: int) -> list[MapPoint]:
    """The department's open reports that have a point, most pressing deadline first."""
    now = clock.now()
    rows = (
        await Report.select(
            Report.tracking_code,
            Report.latitude,
            Report.longitude,
            Report.due_at,
            Report.urgent,
            Report.kecamatan,
            Report.text,
        )
        .where(
            (Report.department == department_id)
            & Report.status.is_in(list(QUEUE_STATUSES))
            & Report.latitude.is_not_null()
            & Report.longitude.is_not_null()
        )
        .order_by(Report.due_at)
        .limit(MAX_POINTS)
    )
    return [
        MapPoint(
            tracking_code=row["tracking_code"],
            lat=row["latitude"],
            lon=row["longitude"],
            band=time_band(row["due_at"], now),
            urgent=row["urgent"],
            kecamatan=row["kecamatan"],
            text=row["text"][:140],
        )
        for row in rows
    ]
