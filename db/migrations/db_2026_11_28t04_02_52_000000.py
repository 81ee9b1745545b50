"""Leaner indexes for the rows an escalation sweep writes by the hundred thousand.

Outbox messages still to deliver are found through one partial index on their next
attempt (replacing the plain indexes on status and next attempt that every delivered
message kept growing). Timeline events are looked up by actor only for people, so the actor
index leaves out the system's events (ladder steps, auto-close).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T04:02:52:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox and timeline indexes"

FORWARDS = (
    "CREATE INDEX IF NOT EXISTS outbox_message_to_deliver ON outbox_message (next_attempt_at) "
    "WHERE status IN ('pending', 'sending')",
    "DROP INDEX IF EXISTS report_event_actor",
    "CREATE INDEX report_event_actor ON report_event (actor) WHERE actor IS NOT NULL",
)
BACKWARDS = (
    "DROP INDEX IF EXISTS outbox_message_to_deliver",
    "DROP INDEX IF EXISTS report_event_actor",
    "CREATE INDEX report_event_actor ON report_event (actor)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    async def run_backwards():
        engine = engine_finder()
        for statement in BACKWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
