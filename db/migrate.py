"""Bring a database up to date: Piccolo migrations, SQLite's journal mode, catalogue seed."""

from __future__ import annotations

import contextlib
import io

import asyncpg
from piccolo.apps.migrations.commands.forwards import run_forwards
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
    lock = await asyncpg.connect(engine.config["dsn"])
    try:
        await lock.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        await _migrate(quiet=quiet)
    finally:
        await lock.close()  # closing the session releases the lock


async def _migrate(*, quiet: bool) -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="db")
    if not result.success:
        raise MigrationError(f"{result.message}\n{output.getvalue()}")
    await seed_catalogue()
