"""The working-day calendar of the city: Monday to Friday, minus holidays and cuti bersama."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def whole_second(moment: datetime) -> datetime:
    """A deadline is promised to the second, never earlier than the rule gives: fractions
    round up. Every door prints deadlines without fractions (Open311's W3C times, pages)."""
    if not moment.microsecond:
        return moment
    return moment.replace(microsecond=0) + timedelta(seconds=1)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date]
    tz: ZoneInfo

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The moment `days` working days after `start`, in UTC.

        A report that arrives outside working days counts from the start of the next working
        day, so a Saturday report gets the same deadline as one sent first thing Monday.
        A report on a working day keeps its time of day: Friday 23:59 + 1 day = Monday 23:59.
        """
        local = whole_second(start).astimezone(self.tz)
        day = local.date()
        clock = local.time()
        if not self.is_working_day(day):
            clock = time(0, 0)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        for _ in range(days):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(start.tzinfo)

    def working_days_between(self, start: datetime, end: datetime) -> float:
        """Elapsed working time in days (for metrics), counting only working days' hours."""
        if end <= start:
            return 0.0
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        total = 0.0
        day = local_start.date()
        while day <= local_end.date():
            if self.is_working_day(day):
                day_start = datetime.combine(day, time(0, 0), tzinfo=self.tz)
                day_end = day_start + timedelta(days=1)
                overlap = min(day_end, local_end) - max(day_start, local_start)
                total += max(overlap.total_seconds(), 0.0) / 86400
            day += timedelta(days=1)
        return total
