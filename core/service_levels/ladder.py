"""The one sweep that climbs a deadline's ladder, for reports (core/service_levels/escalation.py)
and policy reviews (core/policies/reviews.py) alike.

Each deadline has three steps (core.service_levels.deadlines.ladder_times), each taken exactly once
however many schedulers run: a row's `level` counts the steps taken and `next_escalation_at`
says when the next one is due. A batch claims due rows with one conditional UPDATE that moves
each one step up (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an immediate transaction on
SQLite), and the ladder's `take` writes that step's events and messages in the same
transaction, so a step is written with its claim or not at all. A row whose next step is also
already due is claimed again in the same sweep, so a scheduler that was down catches up in
one sweep, still one step at a time.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from piccolo.table import Table

from core import clock
from db.engine import is_sqlite, write_transaction

STEPS = {1: "reminder", 2: "overdue", 3: "escalated"}

# Takes the steps of a claimed batch (rows with `level`, the step just reached, and the
# ladder's `returning` columns) at `moment`; the names of the steps it took.
Take = Callable[[list[dict[str, Any]], datetime], Awaitable[Sequence[str]]]


@dataclass(frozen=True)
class Ladder:
    """What differs between the things that climb: where their ladder row lives, which rows
    still climb, and what each step writes."""

    table: type[Table]
    level: str  # the column counting the steps taken
    due: str  # SQL for the deadline, which the overdue step waits for
    take: Take
    returning: tuple[str, ...] = ("id",)
    condition: str = "1 = 1"  # SQL: which due rows still climb
    # Batches at once on PostgreSQL (SKIP LOCKED keeps them apart); SQLite has one writer.
    parallel: int = 1


@dataclass
class LadderStats:
    steps: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS.values(), 0))
    batches: int = 0


_CLAIM = """
UPDATE {table}
SET {level} = {level} + 1,
    next_escalation_at = CASE {level} WHEN 0 THEN {due} WHEN 1 THEN escalate_at ELSE NULL END
WHERE id IN (
    SELECT id FROM {table}
    WHERE next_escalation_at <= {{}} AND {condition}
    ORDER BY next_escalation_at, id
    LIMIT {{}}
    {lock}
)
RETURNING {level} AS level, {returning}
"""


async def climb(ladder: Ladder, *, batch: int) -> LadderStats:
    """Take every step of `ladder` that is due now, each exactly once, claiming up to `batch`
    rows a transaction."""
    stats = LadderStats()
    sql = _CLAIM.format(
        table=ladder.table._meta.tablename,
        level=ladder.level,
        due=ladder.due,
        condition=ladder.condition,
        lock="" if is_sqlite() else "FOR UPDATE SKIP LOCKED",
        returning=", ".join(ladder.returning),
    )

    async def work() -> None:
        # Until a batch finds nothing: a row just moved one step may be due the next.
        while await _batch(ladder, sql, batch=batch, stats=stats):
            pass

    await asyncio.gather(*(work() for _ in range(1 if is_sqlite() else ladder.parallel)))
    return stats


async def _batch(ladder: Ladder, sql: str, *, batch: int, stats: LadderStats) -> int:
    moment = clock.now()
    async with write_transaction():
        claimed = await ladder.table.raw(sql, moment, batch)
        if not claimed:
            return 0
        for step, count in Counter(await ladder.take(claimed, moment)).items():
            stats.steps[step] += count
    stats.batches += 1
    return len(claimed)
