"""The key of outbox_tally (one row per channel and status, which the counting upserts), and
the messages that finished before it existed, counted once.

SQL that SQLite and PostgreSQL both accept. db/tables.py names the index next to its table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T16:04:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox_tally: its key, and the messages finished so far"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def count_finished():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS outbox_tally_key ON outbox_tally (channel, status)"
        )
        await engine.run_ddl(
            "INSERT INTO outbox_tally (channel, status, messages) "
            "SELECT channel, status, COUNT(*) FROM outbox_message "
            "WHERE status NOT IN ('pending', 'sending') GROUP BY channel, status"
        )

    async def forget():
        await engine_finder().run_ddl("DELETE FROM outbox_tally")

    manager.add_raw(count_finished)
    manager.add_raw_backwards(forget)
    return manager
