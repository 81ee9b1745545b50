"""Indexes for searching queues by words and for the escalated reports of a department.

On PostgreSQL, trigram indexes (pg_trgm) serve `ILIKE '%word%'` on a report's text and
address, so a search within a department's queue reads only the matching rows. SQLite has no
trigram index; its queues are small enough to scan.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T01:26:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "queue search indexes"

BOTH = (
    "CREATE INDEX IF NOT EXISTS report_escalated ON report (department, status, escalation_level)",
)
POSTGRES_ONLY = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS report_text_trgm ON report USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS report_address_trgm ON report USING gin (address gin_trgm_ops)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        statements = BOTH + (POSTGRES_ONLY if engine.engine_type == "postgres" else ())
        for statement in statements:
            await engine.run_ddl(statement)

    async def run_backwards():
        engine = engine_finder()
        for name in ("report_escalated", "report_text_trgm", "report_address_trgm"):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
