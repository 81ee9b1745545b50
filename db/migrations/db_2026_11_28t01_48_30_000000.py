"""An index for policy pressure (core.policy_pressure) and suggestions (core.policies):
reports linked to a policy, by time. Few reports name a policy, so the index is partial.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T01:48:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "policy pressure index"

INDEXES = {
    "report_policy_time": "ON report (policy, created_at) WHERE policy IS NOT NULL",
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
