"""Staff email addresses, for the notices of staff without Telegram (core/staff/notices.py).

SQLite cannot add a UNIQUE column: the column comes plain here, its unique index in the next
migration (a migration's raw SQL runs before its columns are added)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T03:18:39:235031"
VERSION = "1.38.0"
DESCRIPTION = "staff email addresses, for the notices of staff without Telegram"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    manager.add_column(
        table_class_name="User",
        tablename="app_user",
        column_name="email",
        db_column_name="email",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 254,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
