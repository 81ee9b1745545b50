from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T03:33:11:404780"
VERSION = "1.38.0"
DESCRIPTION = ""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="db", description=DESCRIPTION
    )

    manager.drop_column(
        table_class_name="Report",
        tablename="report",
        column_name="escalate_at",
        db_column_name="escalate_at",
        schema=None,
    )

    manager.drop_column(
        table_class_name="Report",
        tablename="report",
        column_name="escalation_level",
        db_column_name="escalation_level",
        schema=None,
    )

    manager.drop_column(
        table_class_name="Report",
        tablename="report",
        column_name="next_escalation_at",
        db_column_name="next_escalation_at",
        schema=None,
    )

    return manager
