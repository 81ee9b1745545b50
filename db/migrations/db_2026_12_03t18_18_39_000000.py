"""What Piccolo's generator cannot declare and the code relies on: indexes over several
columns, partial indexes, unique indexes added beside a table, and PostgreSQL's trigram
search. db/tables.py names each index next to its table.

Every statement but the trigram ones is SQL that SQLite and PostgreSQL both accept.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T18:18:39:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes the code depends on (named in tables.py comments)"

INDEXES = {
    # A department's queue (and the triage queue, where department is null) is one range of
    # (department, status), read in deadline order.
    "report_queue": "ON report (department, status, due_at)",
    # The public list of recently resolved reports.
    "report_resolved_at": "ON report (resolved_at)",
    # core.figures.rollup.refresh(): reports changed since the last refresh.
    "report_updated_at": "ON report (updated_at)",
    # Policy pressure and suggestions: the few reports that name a policy, by time.
    "report_policy_time": "ON report (policy, created_at) WHERE policy IS NOT NULL",
    # Timeline events are looked up by actor only for people, never the system's own steps.
    "report_event_actor": "ON report_event (actor) WHERE actor IS NOT NULL",
    # Escalation steps of a period (event kinds of core.service_levels.escalation.STEPS).
    "report_event_kind_time": "ON report_event (kind, created_at, department)",
    # core.figures.rollup.refresh(): derived rows whose pending deadline has passed.
    "report_metric_first_response_pending": (
        "ON report_metric (first_response_due) WHERE first_response_met IS NULL"
    ),
    "report_metric_resolution_pending": (
        "ON report_metric (resolution_due) WHERE resolution_met IS NULL"
    ),
    "report_metric_overdue_pending": (
        "ON report_metric (current_due) WHERE current_due IS NOT NULL AND NOT overdue"
    ),
    # Messages still to deliver; delivered ones, the vast majority, stay out of the index.
    "outbox_message_to_deliver": (
        "ON outbox_message (next_attempt_at) WHERE status IN ('pending', 'sending')"
    ),
}

UNIQUE_INDEXES = {
    # One ladder row per report (core/service_levels/escalation.py).
    "report_ladder_key": "ON report (ladder)",
    # One citizen per email address and per phone number, in normal form (core/citizens/contacts.py).
    "citizen_email_key": "ON citizen (email)",
    "citizen_phone_key": "ON citizen (phone)",
}

# Searching a queue by words: `ILIKE '%word%'` on a report's text and address reads only the
# matching rows. SQLite has no trigram index; its queues are small enough to scan.
POSTGRES_ONLY = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS report_text_trgm ON report USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS report_address_trgm ON report USING gin (address gin_trgm_ops)",
)


def _statements(engine_type: str) -> list[str]:
    statements = [f"CREATE INDEX IF NOT EXISTS {name} {on}" for name, on in INDEXES.items()]
    statements += [
        f"CREATE UNIQUE INDEX IF NOT EXISTS {name} {on}" for name, on in UNIQUE_INDEXES.items()
    ]
    if engine_type == "postgres":
        statements += POSTGRES_ONLY
    return statements


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in _statements(engine.engine_type):
            await engine.run_ddl(statement)

    async def run_backwards():
        engine = engine_finder()
        for name in (*INDEXES, *UNIQUE_INDEXES, "report_text_trgm", "report_address_trgm"):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
