"""Operational figures for /metrics: what is waiting where, what is overdue, how far delivery
is behind. Reports are counted from the rollups (ReportTally, DepartmentDay: a few hundred
rows whatever the number of reports), brought up to date as a page's are
(core.figures.rollup.for_reading), and the outbox from its tally and its few waiting messages
(core.messaging.outbox.figures); counting from the database, not in one process, keeps the
figures right however many processes write. The reads are independent, so they go out at
once: a scrape costs the round trips of the slowest, not of all of them in a row."""

from __future__ import annotations

import asyncio

from piccolo.query.functions.aggregate import Sum

from core import clock
from core.figures.metrics import CONFIDENCE_BUCKETS
from core.figures.models import Snapshot
from core.figures.rollup import for_reading
from core.messaging import outbox
from db.tables import DepartmentDay, ReportTally


async def snapshot() -> Snapshot:
    await for_reading()
    now = clock.now()
    tally, overdue_rows, messages = await asyncio.gather(
        ReportTally.select(
            ReportTally.department.code.as_alias("department"),
            ReportTally.status,
            ReportTally.channel,
            ReportTally.confidence_bucket,
            ReportTally.reports,
            ReportTally.confidence_sum,
        ),
        # Each day row counts the open reports received that day that are overdue now.
        DepartmentDay.select(
            DepartmentDay.department.code.as_alias("department"),
            Sum(DepartmentDay.overdue, alias="n"),
        )
        .where(DepartmentDay.overdue > 0)
        .group_by(DepartmentDay.department.code),
        outbox.figures(now=now),
    )
    reports: dict[tuple[str, str], int] = {}
    received: dict[str, int] = {}
    per_bucket = [0] * len(CONFIDENCE_BUCKETS)
    confidence_sum = 0.0
    for row in tally:
        key = (row["status"], row["department"] or "triage")
        reports[key] = reports.get(key, 0) + row["reports"]
        received[row["channel"]] = received.get(row["channel"], 0) + row["reports"]
        if row["confidence_bucket"] is not None:
            per_bucket[row["confidence_bucket"]] += row["reports"]
            confidence_sum += row["confidence_sum"]
    return Snapshot(
        reports=reports,
        overdue={row["department"] or "triage": int(row["n"]) for row in overdue_rows},
        received=received,
        confidence_buckets=[sum(per_bucket[: n + 1]) for n in range(len(per_bucket))],
        confidence_count=sum(per_bucket),
        confidence_sum=round(confidence_sum, 6),
        outbox=messages.messages,
        outbox_lag_seconds=messages.lag_seconds,
    )
