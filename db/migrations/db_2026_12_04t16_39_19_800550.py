"""report_tally.overdue: how many of each tally row's reports are overdue now, so /metrics
reads its overdue figures from the tally too instead of summing the day rows (one per day
and department: thousands after a year, and growing). Filled by the next migration (Piccolo
runs a migration's raw steps before its columns are added)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T16:39:19:800550"
VERSION = "1.38.0"
DESCRIPTION = "report_tally: overdue reports"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="db", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="ReportTally",
        tablename="report_tally",
        column_name="overdue",
        db_column_name="overdue",
        column_class_name="Integer",
        column_class=Integer,
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
