"""Indexes for the staff queues and the public list of resolved reports.

Piccolo declares single-column indexes only; these span columns, so they are raw SQL that
SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T00:44:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "queue indexes"

# A department's queue (and the triage queue, where department is null) is one range of
# (department, status), read in deadline order.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS report_queue ON report (department, status, due_at)",
    "CREATE INDEX IF NOT EXISTS report_resolved_at ON report (resolved_at)",
    "CREATE INDEX IF NOT EXISTS report_event_actor ON report_event (actor)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    async def run_backwards():
        engine = engine_finder()
        for name in ("report_queue", "report_resolved_at", "report_event_actor"):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
