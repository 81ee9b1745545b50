"""The schema a fresh database gets from the migrations, on both engines: the indexes the code
depends on (named in db/tables.py) exist, and the unique ones hold."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from piccolo.apps.migrations.tables import Migration

from core import clock
from db.engine import current_engine, is_sqlite
from db.migrate import MigrationError, migrate
from db.tables import Citizen

BOTH_ENGINES = {
    "app_user_email_key",
    "citizen_email_key",
    "citizen_phone_key",
    "outbox_message_to_deliver",
    "outbox_tally_key",
    "report_citizen_time",
    "report_event_actor",
    "report_event_arrival",
    "report_event_kind_time",
    "report_ladder_key",
    "report_metric_first_response_pending",
    "report_metric_overdue_pending",
    "report_metric_resolution_pending",
    "report_open_by_age",
    "report_policy_time",
    "report_queue",
    "report_rerouted",
    "report_resolved_at",
    "report_updated_at",
}
POSTGRES_ONLY = {"report_text_trgm", "report_address_trgm"}


async def _index_names() -> set[str]:
    engine = current_engine()
    if is_sqlite(engine):
        rows = await engine.run_ddl("SELECT name FROM sqlite_master WHERE type = 'index'")
    else:
        rows = await engine.run_ddl("SELECT indexname AS name FROM pg_indexes")
    return {row["name"] for row in rows}


async def test_fresh_database_has_the_indexes_the_code_depends_on(db: str) -> None:
    expected = BOTH_ENGINES if is_sqlite() else BOTH_ENGINES | POSTGRES_ONLY
    assert expected <= await _index_names()


@pytest.mark.parametrize("column", ["email", "phone"])
async def test_one_citizen_per_contact(db: str, column: str) -> None:
    contact = {"email": "warga@example.org", "phone": "+6281234567890"}[column]

    def citizen() -> Citizen:
        return Citizen(channel="web", created_at=clock.now(), **{column: contact})

    await Citizen.insert(citizen())
    with pytest.raises((sqlite3.IntegrityError, asyncpg.UniqueViolationError)):
        await Citizen.insert(citizen())


async def test_a_database_from_before_the_squash_is_refused_with_a_clear_message(db: str) -> None:
    """A development database migrated by the migrations that were squashed away is named as
    such, rather than failing halfway with "table already exists"."""
    await Migration.insert(Migration(name="2026-11-28T00:32:42:339439", app_name="db"))
    with pytest.raises(MigrationError, match="development build of ingatkan from before"):
        await migrate()
