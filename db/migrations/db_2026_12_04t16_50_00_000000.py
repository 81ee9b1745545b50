"""Two indexes for what every new report reads, which grew with the report table:

- a department's newest open reports, which a new report of the department is compared with
  (core/reports/duplicates.py, `possible_case`): without it, PostgreSQL walked all reports
  back from the newest and dropped those of other departments or states (15–19 ms a
  submission at 1,000,000 reports, warm); with it, 1.7–1.9 ms;
- a citizen's reports by time, counted against the limits before each report
  (core/citizens/limits.py): without it, every report of the last day was read (23.6 ms at
  1,000,000 reports, 3,215 of them in the day; more in a flood); with it, 0.12 ms.

SQL that SQLite and PostgreSQL both accept. db/tables.py names each index next to its table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T16:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the newest open reports of a department and a citizen's reports"

INDEXES = {
    # The statuses of core.reports.lifecycle.WITH_DEPARTMENT, as the query names them.
    "report_open_by_age": (
        "ON report (department, created_at) WHERE status IN ('in_progress', 'open')"
    ),
    "report_citizen_time": "ON report (citizen, created_at)",
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
