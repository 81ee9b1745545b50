from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T05:23:38:001923"
VERSION = "1.38.0"
DESCRIPTION = ""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="db", description=DESCRIPTION
    )

    manager.drop_column(
        table_class_name="ReportLadder",
        tablename="report_ladder",
        column_name="due_at",
        db_column_name="due_at",
        schema=None,
    )

    return manager
