"""The records core/service_levels hands out."""

from __future__ import annotations

from datetime import date

import msgspec


class SweepOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """What one escalation sweep did, for the scheduler's summary and the benchmarks: the
    ladder steps taken (core.service_levels.ladder.STEPS), the warning letters recorded and
    the batches claimed."""

    reminder: int
    overdue: int
    escalated: int
    letters: int
    batches: int


class LadderDepartment(msgspec.Struct, frozen=True, kw_only=True):
    """A department as the escalation ladder's messages and warning letters name it."""

    id: int
    code: str
    name: str


class NonWorkingDay(msgspec.Struct, frozen=True, kw_only=True):
    """A national holiday or cuti bersama in the working-day calendar, as admins list them."""

    day: date
    name: str
    kind: str
