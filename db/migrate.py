"""Bring a database up to date: Piccolo migrations, SQLite's journal mode, catalogue seed."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards

from db.engine import current_engine, is_sqlite
from db.seed_data import seed_catalogue


class MigrationError(RuntimeError):
    pass


async def migrate(*, quiet: bool = True) -> None:
    """Idempotent: safe to run on every start."""
    if is_sqlite():
        # WAL lets readers go on while one writer commits; the setting stays with the file.
        await current_engine().run_ddl("PRAGMA journal_mode=WAL")
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="db")
    if not result.success:
        raise MigrationError(f"{result.message}\n{output.getvalue()}")
    await seed_catalogue()
