"""The migration to one citizen per contact, on both engines: the citizens an earlier version
made per report are merged as a new report would be matched, with their reports, messages
and blocks, and the unique indexes then hold."""

from __future__ import annotations

import importlib
import sqlite3

import asyncpg
import pytest

from core import clock
from core.reports import submit_report
from db.engine import current_engine
from db.tables import Citizen, OutboxMessage, Report
from tests.helpers import FixedRouter

migration = importlib.import_module("db.migrations.db_2026_12_03t18_00_00_000000")
TEXT = "Saluran air di Jl. Sulfat mampet, tiap hujan meluap ke jalan"


async def _as_before(contacts: list[tuple[str | None, str | None, bool]]) -> list[int]:
    """Citizens and a report each as an earlier version stored them: as typed, one per report."""
    engine = current_engine()
    for name in migration.INDEXES:
        await engine.run_ddl(f"DROP INDEX {name}")
    rows = await Citizen.insert(
        *[
            Citizen(
                channel="web", email=email, phone=phone, blocked=blocked, created_at=clock.now()
            )
            for email, phone, blocked in contacts
        ]
    ).returning(Citizen.id)
    for row in rows:
        report = await submit_report(text=TEXT, channel="web", router=FixedRouter("DLH"))
        await Report.update({Report.citizen: row["id"]}).where(Report.id == report["id"])
        await OutboxMessage.insert(
            OutboxMessage(
                dedupe_key=f"event:{report['id']}:citizen",
                channel="citizen",
                template="submitted",
                report=report["id"],
                citizen=row["id"],
                next_attempt_at=clock.now(),
                created_at=clock.now(),
            )
        )
    return [row["id"] for row in rows]


async def _owners() -> list[int]:
    return [row["citizen"] for row in await Report.select(Report.citizen).order_by(Report.id)]


async def test_citizens_of_one_contact_are_merged(db: str) -> None:
    ids = await _as_before(
        [
            ("Siti@Example.id", "0812 3456 7890", False),
            (" siti@example.id", None, True),  # the same email: merged, and blocked
            (None, "+62 812-3456-7890", False),  # the first one's phone: merged
            ("budi@example.id", None, False),
            ("BUDI@example.id", "0813 1111 2222", False),  # budi's email: merged
            (None, "0813 1111 2222", False),  # a phone that only a merged row had
        ]
    )
    await migration.merge_contacts()
    engine = current_engine()
    for name, definition in migration.INDEXES.items():
        await engine.run_ddl(f"CREATE UNIQUE INDEX {name} {definition}")

    assert await _owners() == [ids[0], ids[0], ids[0], ids[3], ids[3], ids[5]]
    citizens = await Citizen.select(Citizen.id, Citizen.email, Citizen.phone, Citizen.blocked)
    assert sorted(citizens, key=lambda row: row["id"]) == [
        {"id": ids[0], "email": "siti@example.id", "phone": "+6281234567890", "blocked": True},
        {"id": ids[3], "email": "budi@example.id", "phone": None, "blocked": False},
        {"id": ids[5], "email": None, "phone": "+6281311112222", "blocked": False},
    ]
    messages = await OutboxMessage.select(OutboxMessage.citizen).where(
        OutboxMessage.citizen.is_not_null()
    )
    assert sorted(row["citizen"] for row in messages) == await _owners()
    with pytest.raises((asyncpg.UniqueViolationError, sqlite3.IntegrityError)):
        await Citizen.insert(
            Citizen(channel="web", email="siti@example.id", created_at=clock.now())
        )
