"""Indexes for the metrics (core.metrics_rollup, core.dashboard).

Partial and multi-column indexes are raw SQL that SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T01:26:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "metrics indexes"

INDEXES = {
    # refresh(): reports changed since the last refresh.
    "report_updated_at": "ON report (updated_at)",
    # refresh(): derived rows whose pending deadline has passed; few are pending at a time.
    "report_metric_first_response_pending": (
        "ON report_metric (first_response_due) WHERE first_response_met IS NULL"
    ),
    "report_metric_resolution_pending": (
        "ON report_metric (resolution_due) WHERE resolution_met IS NULL"
    ),
    "report_metric_overdue_pending": (
        "ON report_metric (current_due) WHERE current_due IS NOT NULL AND NOT overdue"
    ),
    # Escalation steps of a period (event kinds of core.escalation.STEPS).
    "report_event_kind_time": "ON report_event (kind, created_at, department)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for name, definition in INDEXES.items():
            await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} {definition}")

    async def run_backwards():
        engine = engine_finder()
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
