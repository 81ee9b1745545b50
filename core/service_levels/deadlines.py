"""Service levels: how long triage, a first response and a resolution may take.

Defaults follow LAPOR!'s tiers; a department may override first response and resolution.
Urgent reports (danger to life or property) run on calendar hours, not working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import Where

from config import settings
from core.catalogue.cached import cached
from core.service_levels.calendar import WorkingCalendar, whole_second
from db.tables import Holiday, Report, ReportLadder

TRIAGE_DAYS = 1
FIRST_RESPONSE_DAYS = 3
RESOLUTION_DAYS = 14
FIELD_WORK_DAYS = 60
URGENT_FIRST_RESPONSE = timedelta(hours=2)
URGENT_RESOLUTION = timedelta(days=2)


class Stage(StrEnum):
    TRIAGE = "triage"
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


async def working_calendar() -> WorkingCalendar:
    """The working days, holidays removed: kept per process (core/catalogue/cached.py) and
    taken up again when an admin changes a holiday."""

    async def load() -> WorkingCalendar:
        rows = await Holiday.select(Holiday.day)
        return WorkingCalendar(
            holidays=frozenset(row["day"] for row in rows), tz=settings.current().tz
        )

    return await cached("working calendar", load)


# Overdue: the deadline has come. A report due exactly now is overdue, as the ladder's overdue
# step (core.service_levels.escalation) is taken at the deadline itself. Every door (queue
# filter, head's page, gauges, figures, dashboard, digest) asks one of these two.
def is_overdue(due_at: datetime | None, now: datetime) -> bool:
    return due_at is not None and due_at <= now


def overdue_where(now: datetime, due_at: Column = Report.due_at) -> Where:
    """The same rule as a query condition, on `due_at` or another deadline column."""
    return due_at <= now


def deadline(
    stage: Stage,
    *,
    start: datetime,
    calendar: WorkingCalendar,
    urgent: bool,
    needs_field_work: bool = False,
    first_response_days: int | None = None,
    resolution_days: int | None = None,
) -> datetime:
    start = whole_second(start)
    if stage is Stage.TRIAGE:
        return (
            start + URGENT_FIRST_RESPONSE
            if urgent
            else calendar.add_working_days(start, TRIAGE_DAYS)
        )
    if urgent:
        return start + (
            URGENT_FIRST_RESPONSE if stage is Stage.FIRST_RESPONSE else URGENT_RESOLUTION
        )
    if stage is Stage.FIRST_RESPONSE:
        return calendar.add_working_days(start, first_response_days or FIRST_RESPONSE_DAYS)
    days = FIELD_WORK_DAYS if needs_field_work else (resolution_days or RESOLUTION_DAYS)
    return calendar.add_working_days(start, days)


def ladder_times(*, start: datetime, due: datetime) -> tuple[datetime, datetime]:
    """When a deadline's first step (a reminder at half the time) and its last step (at twice
    the time) come; the middle step is the deadline itself. Reports and policy reviews climb
    the same ladder."""
    return start + (due - start) / 2, due + (due - start)


@dataclass(frozen=True)
class ClockChange:
    """New deadline values: columns of the report and of its ladder row."""

    report: dict[Any, Any]
    ladder: dict[Any, Any]


def clock_started(*, start: datetime, due: datetime) -> ClockChange:
    """A deadline that starts now: the ladder starts again from its first step."""
    reminder_at, escalate_at = ladder_times(start=start, due=due)
    return ClockChange(
        report={Report.due_at: due},
        ladder={
            ReportLadder.level: 0,
            ReportLadder.next_escalation_at: reminder_at,
            ReportLadder.escalate_at: escalate_at,
        },
    )


def clock_stopped() -> ClockChange:
    """Nothing is owed any more; the level reached stays on record."""
    return ClockChange(
        report={Report.due_at: None},
        ladder={
            ReportLadder.next_escalation_at: None,
            ReportLadder.escalate_at: None,
        },
    )
