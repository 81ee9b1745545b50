"""Read-mostly data (departments, their active webhooks, the holiday calendar) kept per
process, so a report's submission does not read it again each time; and data that may lag a
while (the words citizens use for each policy), kept for at most its `max_age`.

An admin's change to any of it adds a row to `catalogue_change` in the change's own
transaction (`changed`). Every process remembers the newest id it loaded its values at and
looks at the newest id again at most every `RECHECK`: a change made on one replica
reaches every replica within that time, and the replica that made it at once. The values are
kept per database engine, so a process (or a test) that binds another database starts afresh.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from piccolo.query.functions.aggregate import Max

from core import clock
from db.engine import current_engine
from db.tables import CatalogueChange

T = TypeVar("T")

# How stale another replica's change may be here: one indexed read a second at most.
RECHECK = timedelta(seconds=1)


class _Kept:
    def __init__(self, engine: object) -> None:
        self.engine = engine
        self.version: int | None = None
        self.checked_at: datetime | None = None
        # A change of this process not yet seen committed: look at every call until it is.
        self.pending: int | None = None
        # Counts the forgetting, so a load that began before a change is not kept after it.
        self.generation = 0
        self.values: dict[str, tuple[datetime, Any]] = {}  # key: (loaded at, value)

    def forget(self, version: int) -> None:
        self.values.clear()
        self.version = version
        self.generation += 1


_kept = _Kept(None)


async def _newest() -> int:
    row = await CatalogueChange.select(Max(CatalogueChange.id).as_alias("newest")).first()
    return int(row["newest"] or 0) if row else 0


async def cached(
    key: str, load: Callable[[], Awaitable[T]], *, max_age: timedelta | None = None
) -> T:
    """The value kept under `key`, loaded by `load` when missing, after a change, or when
    it is older than `max_age`."""
    global _kept
    engine = current_engine()
    if _kept.engine is not engine:
        _kept = _Kept(engine)
    kept = _kept
    # core.clock, so a test can move it; a clock set back counts as time to look again.
    now = clock.now()
    if (
        kept.pending is not None
        or kept.checked_at is None
        or not (kept.checked_at <= now < kept.checked_at + RECHECK)
    ):
        newest = await _newest()
        if kept.pending is not None and newest >= kept.pending:
            kept.pending = None
            kept.forget(newest)
        elif newest != kept.version:
            kept.forget(newest)
        kept.checked_at = now
    if key in kept.values:
        loaded_at, value = kept.values[key]
        if max_age is None or loaded_at <= now < loaded_at + max_age:
            return cast(T, value)
    generation = kept.generation
    value = await load()
    if kept.generation == generation and kept.pending is None:
        kept.values[key] = (now, value)
    return value


async def changed() -> None:
    """Record that read-mostly data changed, in the transaction of the change (when it rolls
    back, so does this). This process takes it up as soon as it is committed, the others
    within RECHECK."""
    rows = await CatalogueChange.insert(CatalogueChange(changed_at=clock.now())).returning(
        CatalogueChange.id
    )
    _kept.pending = max(_kept.pending or 0, rows[0]["id"])
