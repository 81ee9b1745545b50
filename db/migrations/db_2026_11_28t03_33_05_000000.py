"""Move each report's ladder state into `report_ladder` (see db.tables.ReportLadder).

Every existing report gets a ladder row with the same id, holding its level, next step,
deadline and twice-deadline, and a unique index keeps it to one row per report (SQLite
cannot add a unique column). The indexes on the old report columns go, so the next
migration can drop the columns on SQLite too.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T03:33:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "report ladder data"

FORWARDS = (
    "INSERT INTO report_ladder (id, level, next_escalation_at, due_at, escalate_at) "
    "SELECT id, escalation_level, next_escalation_at, due_at, escalate_at FROM report",
    "UPDATE report SET ladder = id",
    "CREATE UNIQUE INDEX IF NOT EXISTS report_ladder_key ON report (ladder)",
    "DROP INDEX IF EXISTS report_escalated",
    "DROP INDEX IF EXISTS report_next_escalation_at",
)
POSTGRES_ONLY = (
    "SELECT setval(pg_get_serial_sequence('report_ladder', 'id'), "
    "COALESCE((SELECT max(id) FROM report_ladder), 0) + 1, false)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        statements = FORWARDS + (POSTGRES_ONLY if engine.engine_type == "postgres" else ())
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
