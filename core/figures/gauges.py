"""Operational figures read from the database for /metrics: what is waiting where, what is
overdue, how far delivery is behind. Counting from the tables (not from counters in one
process) keeps the figures right however many processes write."""

from __future__ import annotations

from dataclasses import dataclass, field

from piccolo.query.functions.aggregate import Count, Sum

from core import clock
from core.messaging import outbox
from core.reports.lifecycle import ACTIVE
from core.service_levels.deadlines import overdue_where
from db.tables import OutboxMessage, Report

# Upper bounds of the classifier-confidence histogram.
CONFIDENCE_BUCKETS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


@dataclass
class Snapshot:
    reports: dict[tuple[str, str], int] = field(default_factory=dict)  # (status, department)
    overdue: dict[str, int] = field(default_factory=dict)  # department -> count
    received: dict[str, int] = field(default_factory=dict)  # channel -> count, ever
    confidence_buckets: list[int] = field(default_factory=list)  # cumulative, per bound
    confidence_count: int = 0
    confidence_sum: float = 0.0
    outbox: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, status)
    outbox_lag_seconds: float = 0.0


async def snapshot() -> Snapshot:
    result = Snapshot()
    rows = await Report.select(
        Report.status,
        Report.department.code.as_alias("department"),
        Count(alias="n"),
    ).group_by(Report.status, Report.department.code)
    for row in rows:
        result.reports[(row["status"], row["department"] or "triage")] = row["n"]
    now = clock.now()
    active = [status.value for status in ACTIVE]
    rows = (
        await Report.select(
            Report.department.code.as_alias("department"),
            Count(alias="n"),
        )
        .where(Report.status.is_in(active) & overdue_where(now))
        .group_by(Report.department.code)
    )
    result.overdue = {row["department"] or "triage": row["n"] for row in rows}
    rows = await Report.select(Report.channel, Count(alias="n")).group_by(Report.channel)
    result.received = {row["channel"]: row["n"] for row in rows}
    for bound in CONFIDENCE_BUCKETS:
        result.confidence_buckets.append(
            await Report.count().where(
                Report.confidence.is_not_null() & (Report.confidence <= bound)
            )
        )
    aggregate = await Report.select(
        Count(Report.confidence, alias="n"), Sum(Report.confidence, alias="total")
    ).first()
    result.confidence_count = aggregate["n"] or 0
    result.confidence_sum = float(aggregate["total"] or 0.0)
    rows = await OutboxMessage.select(
        OutboxMessage.channel,
        OutboxMessage.status,
        Count(alias="n"),
    ).group_by(OutboxMessage.channel, OutboxMessage.status)
    result.outbox = {(row["channel"], row["status"]): row["n"] for row in rows}
    result.outbox_lag_seconds = await outbox.lag_seconds(now=now)
    return result
