"""Bring a database up to date: Piccolo migrations, SQLite's journal mode, catalogue seed."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import asyncpg
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from db.engine import current_engine
from db.seed_data import seed_catalogue


class MigrationError(RuntimeError):
    pass


# Any constant will do; it names "the migration" among PostgreSQL advisory locks.
_MIGRATION_LOCK = 0x1A6A7CA0


async def migrate(*, quiet: bool = True) -> None:
    """Idempotent: safe to run on every start, by any number of processes at once."""
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        # WAL lets readers go on while one writer commits; the setting stays with the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")
        await _migrate(quiet=quiet)
        return
    # Processes starting together take turns; the later ones find nothing left to do.
    assert isinstance(engine, PostgresEngine)  # create_engine makes no other kind
    lock = await asyncpg.connect(engine.config["dsn"])
    try:
        await lock.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        await _migrate(quiet=quiet)
    finally:
        await lock.close()  # closing the session releases the lock


def _known_migrations() -> set[str]:
    """Migration ids as Piccolo records them: db_2026_12_03t18_18_38_632583.py is
    2026-12-03T18:18:38:632583."""
    ids = set()
    for path in (Path(__file__).parent / "migrations").glob("db_*.py"):
        day, clock = path.stem.removeprefix("db_").split("t")
        ids.add(day.replace("_", "-") + "T" + clock.replace("_", ":"))
    return ids


async def _refuse_a_squashed_history() -> None:
    """The migrations were squashed into one initial schema on 2026-12-03, before any
    production database existed; a database made by an earlier development build cannot be
    brought forward, and saying so beats a "table already exists" halfway through."""
    if not await Migration.table_exists():
        return
    applied = {row["name"] for row in await Migration.select(Migration.name)}
    unknown = applied - _known_migrations()
    if unknown:
        raise MigrationError(
            "This database was created by a development build of ingatkan from before "
            "2026-12-03, whose migrations no longer exist. Create a fresh database (or delete "
            f"the SQLite file) and run `ingatkan migrate` again. Unknown: {sorted(unknown)[0]}"
        )


async def _migrate(*, quiet: bool) -> None:
    await _refuse_a_squashed_history()
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="db")
    if not result.success:
        raise MigrationError(f"{result.message}\n{output.getvalue()}")
    await seed_catalogue()
