"""The reports' scheduled jobs: resolved reports the citizen neither confirmed nor contested are
closed after 7 days; urgent reports nobody acted on in time are told to leadership and the
admins (core/reports/emergency.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from core import clock
from core.errors import DomainError
from core.reports import emergency, lifecycle
from core.reports.lifecycle import Status
from core.staff.actors import Actor
from db.engine import write_transaction
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


async def alert_unanswered_urgent(*, batch: int = 200) -> int:
    """Take the step of every urgent report whose acknowledgement time ran out; returns how
    many this run took. Each is claimed and written in its own transaction, so one report's
    failure does not stop the rest, and a step another scheduler took is not taken again."""
    moment = clock.now()
    taken = 0
    for watch_id in await emergency.due_watches(moment=moment, limit=batch):
        try:
            async with write_transaction():
                taken += await emergency.take_unanswered_step(watch_id=watch_id, moment=moment)
        except Exception:
            logger.exception("urgent alert of watch %s failed", watch_id)
    return taken
