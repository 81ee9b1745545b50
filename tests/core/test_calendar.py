"""Deadlines on the city's working-day calendar (holidays from the shipped seed data).

Deadlines are arithmetic on a calendar, checked on the shipped holidays without a database;
one test checks the migrated database holds that calendar and that an admin's holiday moves
deadlines."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import InvalidInput
from core.service_levels.calendar import WorkingCalendar
from core.service_levels.deadlines import Stage, deadline, working_calendar
from core.service_levels.holidays import add_holiday, remove_holiday
from core.staff.actors import Actor
from db.seed_data import SEED_DIR

WIB = ZoneInfo("Asia/Jakarta")
SHIPPED = WorkingCalendar(
    holidays=frozenset(
        date.fromisoformat(row["day"])
        for row in json.loads((SEED_DIR / "holidays.json").read_text(encoding="utf-8"))["holidays"]
    ),
    tz=WIB,
)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


CASES = [
    # (what, submitted, stage, urgent, expected)
    ("Friday 23:59 plus one working day is Monday 23:59",
     wib(2026, 11, 27, 23, 59), Stage.TRIAGE, False, wib(2026, 11, 30, 23, 59)),
    ("Friday 23:59 plus three working days is Wednesday 23:59",
     wib(2026, 11, 27, 23, 59), Stage.FIRST_RESPONSE, False, wib(2026, 12, 2, 23, 59)),
    ("a Saturday report counts from Monday morning",
     wib(2026, 11, 28, 14, 0), Stage.TRIAGE, False, wib(2026, 12, 1, 0, 0)),
    ("Nyepi, Idul Fitri and cuti bersama 2026 are skipped",
     wib(2026, 3, 17, 10, 0), Stage.FIRST_RESPONSE, False, wib(2026, 3, 27, 10, 0)),
    ("Idul Fitri 2025: 28 March to 7 April are off; the day owed is 8 April, due at its end",
     wib(2025, 3, 28, 8, 0), Stage.TRIAGE, False, wib(2025, 4, 9, 0, 0)),
    ("Christmas and its cuti bersama at the end of 2025",
     wib(2025, 12, 24, 9, 0), Stage.FIRST_RESPONSE, False, wib(2025, 12, 31, 9, 0)),
    ("across the new year",
     wib(2025, 12, 30, 15, 0), Stage.FIRST_RESPONSE, False, wib(2026, 1, 5, 15, 0)),
    ("fourteen working days to resolve, across Christmas, new year and Isra Mikraj 2027",
     wib(2026, 12, 14, 11, 0), Stage.RESOLUTION, False, wib(2027, 1, 7, 11, 0)),
    ("urgent first response: two calendar hours, on a Sunday too",
     wib(2026, 11, 29, 22, 30), Stage.FIRST_RESPONSE, True, wib(2026, 11, 30, 0, 30)),
    ("urgent resolution: two calendar days",
     wib(2026, 3, 20, 9, 0), Stage.RESOLUTION, True, wib(2026, 3, 22, 9, 0)),
    ("urgent triage: two calendar hours",
     wib(2026, 11, 28, 23, 59), Stage.TRIAGE, True, wib(2026, 11, 29, 1, 59)),
    ("a deadline is a whole second, never earlier than the rule: a fraction rounds up",
     wib(2026, 12, 1, 10, 15, 30, 250_000), Stage.FIRST_RESPONSE, False,
     wib(2026, 12, 4, 10, 15, 31)),
    ("urgent deadlines are whole seconds too",
     wib(2026, 12, 5, 22, 0, 0, 1), Stage.FIRST_RESPONSE, True, wib(2026, 12, 6, 0, 0, 1)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "submitted", "stage", "urgent", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_deadlines(
    what: str, submitted: datetime, stage: Stage, urgent: bool, expected: datetime
) -> None:
    due = deadline(stage, start=submitted, calendar=SHIPPED, urgent=urgent)
    assert due == expected
    assert due.utcoffset() == timedelta(hours=7)


def test_field_work_and_department_overrides() -> None:
    calendar = SHIPPED
    start = wib(2026, 11, 30, 9, 0)  # a Monday
    field_work = deadline(
        Stage.RESOLUTION, start=start, calendar=calendar, urgent=False, needs_field_work=True
    )
    working_days = sum(
        calendar.is_working_day(start.date() + timedelta(days=n))
        for n in range(1, (field_work.date() - start.date()).days + 1)
    )
    assert working_days == 60
    shorter = deadline(
        Stage.FIRST_RESPONSE, start=start, calendar=calendar, urgent=False, first_response_days=1
    )
    assert shorter == wib(2026, 12, 1, 9, 0)


def test_working_days_between_skips_weekends_and_holidays() -> None:
    calendar = SHIPPED
    assert not calendar.is_working_day(date(2026, 8, 17))
    friday_noon, tuesday_noon = wib(2026, 8, 14, 12, 0), wib(2026, 8, 18, 12, 0)
    # Friday afternoon, then Monday 17 August (Independence Day) is off, Tuesday morning
    assert calendar.working_days_between(friday_noon, tuesday_noon) == pytest.approx(1.0)


async def test_an_added_holiday_moves_deadlines_and_can_be_removed(db: str) -> None:
    assert await working_calendar() == SHIPPED  # migrating the database put the holidays in
    start = wib(2026, 12, 7, 9, 0)  # Monday
    before = deadline(
        Stage.FIRST_RESPONSE, start=start, calendar=await working_calendar(), urgent=False
    )
    await add_holiday(
        day=date(2026, 12, 8), name="Hari jadi (contoh)", kind="cuti_bersama", actor=Actor.system()
    )
    moved = deadline(
        Stage.FIRST_RESPONSE, start=start, calendar=await working_calendar(), urgent=False
    )
    assert moved - before == timedelta(days=1)
    with pytest.raises(InvalidInput):
        await add_holiday(
            day=date(2026, 12, 8), name="again", kind="national", actor=Actor.system()
        )
    await remove_holiday(day=date(2026, 12, 8), actor=Actor.system())
    again = deadline(
        Stage.FIRST_RESPONSE, start=start, calendar=await working_calendar(), urgent=False
    )
    assert again == before
