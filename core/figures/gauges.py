"""Operational figures for /metrics: what is waiting where, what is overdue, how far delivery
is behind. Reports are counted from the rollups (ReportTally: a few thousand rows whatever
the number of reports, overdue ones included), brought up to date as a page's are
(core.figures.rollup.for_reading), and the outbox from its tally and its few waiting messages
(core.messaging.outbox.figures); counting from the database, not in one process, keeps the
figures right however many processes write.

The reads are independent, so they go out at once: a scrape waits for the slowest, not for
each in a row. Each sums its rows in the database and brings back only what /metrics shows:
the tally's rows (department × status × channel × confidence bin) are far more than the
figures, and summing them in Python cost more than the queries."""

from __future__ import annotations

import asyncio

from piccolo.query.functions.aggregate import Sum

from core import clock
from core.figures.metrics import CONFIDENCE_BUCKETS
from core.figures.models import Snapshot
from core.figures.rollup import for_reading
from core.messaging import outbox
from db.tables import ReportTally


async def snapshot() -> Snapshot:
    await for_reading()
    now = clock.now()
    by_status, by_channel, by_confidence, messages = await asyncio.gather(
        ReportTally.select(
            ReportTally.status,
            ReportTally.department.code.as_alias("department"),
            Sum(ReportTally.reports, alias="n"),
            Sum(ReportTally.overdue, alias="overdue"),
        ).group_by(ReportTally.status, ReportTally.department.code),
        ReportTally.select(ReportTally.channel, Sum(ReportTally.reports, alias="n")).group_by(
            ReportTally.channel
        ),
        ReportTally.select(
            ReportTally.confidence_bucket,
            Sum(ReportTally.reports, alias="n"),
            Sum(ReportTally.confidence_sum, alias="confidence"),
        )
        .where(ReportTally.confidence_bucket.is_not_null())
        .group_by(ReportTally.confidence_bucket),
        outbox.figures(now=now),
    )
    overdue: dict[str, int] = {}
    for row in by_status:
        if row["overdue"]:
            department = row["department"] or "triage"
            overdue[department] = overdue.get(department, 0) + int(row["overdue"])
    per_bucket = [0] * len(CONFIDENCE_BUCKETS)
    for row in by_confidence:
        per_bucket[row["confidence_bucket"]] = int(row["n"])
    return Snapshot(
        reports={
            (row["status"], row["department"] or "triage"): int(row["n"])
            for row in by_status
            if row["n"]
        },
        overdue=overdue,
        received={row["channel"]: int(row["n"]) for row in by_channel if row["n"]},
        confidence_buckets=[sum(per_bucket[: n + 1]) for n in range(len(per_bucket))],
        confidence_count=sum(per_bucket),
        confidence_sum=round(sum(float(row["confidence"]) for row in by_confidence), 6),
        outbox=messages.messages,
        outbox_lag_seconds=messages.lag_seconds,
    )
