"""The service levels' scheduled job: the escalation sweep, which takes every ladder step of
every report that is due now (core/service_levels/escalation.py says what a step writes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.service_levels.escalation import DUE, take_steps
from core.service_levels.ladder import Ladder, climb
from core.service_levels.models import LadderDepartment, SweepOutcome
from db.tables import Department, ReportLadder

BATCH = 5000
# On PostgreSQL, batches in parallel keep the database busy while this process builds the
# next batch's rows.
PARALLEL_BATCHES = 2


async def sweep(*, batch: int = BATCH) -> SweepOutcome:
    """Take every escalation step that is due now."""
    departments = {
        row["id"]: msgspec.convert(row, LadderDepartment)
        for row in await Department.select(Department.id, Department.code, Department.name)
    }
    letters = 0

    async def take(claimed: list[dict[str, Any]], moment: datetime) -> list[str]:
        nonlocal letters
        steps, written = await take_steps(claimed, moment, departments)
        letters += written
        return steps

    ladder = Ladder(
        table=ReportLadder, level="level", due=DUE, take=take, parallel=PARALLEL_BATCHES
    )
    climbed = await climb(ladder, batch=batch)
    return SweepOutcome(
        reminder=climbed.steps["reminder"],
        overdue=climbed.steps["overdue"],
        escalated=climbed.steps["escalated"],
        letters=letters,
        batches=climbed.batches,
    )
