"""The reports' scheduled job: resolved reports the citizen neither confirmed nor contested are
closed after 7 days."""

from __future__ import annotations

import logging
from datetime import timedelta

from core import clock
from core.errors import DomainError
from core.reports import lifecycle
from core.reports.lifecycle import Status
from core.staff.actors import Actor
from db.tables import Report

logger = logging.getLogger("ingatkan.closing")

QUIET_PERIOD = timedelta(days=7)


async def close_quiet_reports(*, batch: int = 500) -> int:
    """Close every resolved report older than the quiet period; returns how many closed.
    Each close is its own transition, so one report's failure does not stop the rest."""
    cutoff = clock.now() - QUIET_PERIOD
    closed = 0
    while True:
        rows = (
            await Report.select(Report.tracking_code)
            .where((Report.status == Status.RESOLVED) & (Report.resolved_at <= cutoff))
            .order_by(Report.resolved_at)
            .limit(batch)
        )
        progressed = 0
        for row in rows:
            try:
                await lifecycle.close(tracking_code=row["tracking_code"], actor=Actor.system())
            except DomainError as error:  # reopened or closed by someone else meanwhile
                logger.info("auto-close of %s skipped: %s", row["tracking_code"], error)
                continue
            except Exception:
                logger.exception("auto-close of %s failed", row["tracking_code"])
                continue
            progressed += 1
        closed += progressed
        if len(rows) < batch or not progressed:
            return closed
