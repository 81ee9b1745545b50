"""One staff account per email address, in normal form (core/staff/users.py): the unique
index db/tables.py names beside User.email."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T03:18:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "one staff account per email address"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS app_user_email_key ON app_user (email)"
        )

    async def run_backwards():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS app_user_email_key")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
