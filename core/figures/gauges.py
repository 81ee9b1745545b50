"""Operational figures read from the database for /metrics: what is waiting where, what is
overdue, how far delivery is behind. Counting from the tables (not from counters in one
process) keeps the figures right however many processes write."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count, Sum

from core import clock
from core.figures.models import Snapshot
from core.messaging import outbox
from core.reports.lifecycle import ACTIVE
from core.service_levels.deadlines import overdue_where
from db.tables import OutboxMessage, Report

# Upper bounds of the classifier-confidence histogram.
CONFIDENCE_BUCKETS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


async def snapshot() -> Snapshot:
    rows = await Report.select(
        Report.status,
        Report.department.code.as_alias("department"),
        Count(alias="n"),
    ).group_by(Report.status, Report.department.code)
    reports = {(row["status"], row["department"] or "triage"): row["n"] for row in rows}
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
    overdue = {row["department"] or "triage": row["n"] for row in rows}
    rows = await Report.select(Report.channel, Count(alias="n")).group_by(Report.channel)
    received = {row["channel"]: row["n"] for row in rows}
    confidence_buckets = [
        await Report.count().where(Report.confidence.is_not_null() & (Report.confidence <= bound))
        for bound in CONFIDENCE_BUCKETS
    ]
    aggregate = await Report.select(
        Count(Report.confidence, alias="n"), Sum(Report.confidence, alias="total")
    ).first()
    if aggregate is None:
        raise AssertionError("unreachable: an aggregate without GROUP BY has one row")
    rows = await OutboxMessage.select(
        OutboxMessage.channel,
        OutboxMessage.status,
        Count(alias="n"),
    ).group_by(OutboxMessage.channel, OutboxMessage.status)
    return Snapshot(
        reports=reports,
        overdue=overdue,
        received=received,
        confidence_buckets=confidence_buckets,
        confidence_count=aggregate["n"] or 0,
        confidence_sum=float(aggregate["total"] or 0.0),
        outbox={(row["channel"], row["status"]): row["n"] for row in rows},
        outbox_lag_seconds=await outbox.lag_seconds(now=now),
    )
