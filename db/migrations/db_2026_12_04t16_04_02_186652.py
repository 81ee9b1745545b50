"""outbox_tally: finished outbox messages counted by channel and status as they finish, so
/metrics no longer counts the whole outbox (a sequential scan of every message ever sent) on
each scrape. Its key and the messages finished before it: the next migration (Piccolo runs a
migration's raw steps before its tables are made)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T16:04:02:186652"
VERSION = "1.38.0"
DESCRIPTION = "outbox_tally: finished outbox messages by channel and status"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="db", description=DESCRIPTION
    )

    manager.add_table(
        class_name="OutboxTally",
        tablename="outbox_tally",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="OutboxTally",
        tablename="outbox_tally",
        column_name="channel",
        db_column_name="channel",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 16,
            "default": "",
            "null": False,
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

    manager.add_column(
        table_class_name="OutboxTally",
        tablename="outbox_tally",
        column_name="status",
        db_column_name="status",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 12,
            "default": "",
            "null": False,
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

    manager.add_column(
        table_class_name="OutboxTally",
        tablename="outbox_tally",
        column_name="messages",
        db_column_name="messages",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
            "null": False,
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
