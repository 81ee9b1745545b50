"""Three scheduler processes check policy thresholds at once, on PostgreSQL: one crossing
opens one review and one message to the department's head."""

from __future__ import annotations

import asyncio
import json
import time

import asyncpg
import pytest

from core import clock
from core.reports.intake import submit_report
from db.tables import Citizen, OutboxMessage, Policy, PolicyReview
from tests.helpers import FixedRouter
from tests.scheduler.test_processes import _scheduler_once

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

PARKING = "PERWAL-2024-PARKIR"


async def _waiting_on_locks(database_url: str) -> int:
    # A connection of its own: inside a transaction pg_stat_activity stays as first read.
    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    finally:
        await connection.close()


async def test_three_scheduler_processes_open_a_crossing_exactly_once(pg_db: str) -> None:
    citizens = await Citizen.insert(
        *[
            Citizen(channel="telegram", telegram_chat_id=640_000 + n, created_at=clock.now())
            for n in range(30)
        ]
    ).returning(Citizen.id)
    for citizen in citizens:
        await submit_report(
            text="Tarif parkir Rp5.000 di Kayutangan memberatkan pedagang dan pembeli",
            channel="telegram",
            router=FixedRouter("DISHUB"),
            policy_code=PARKING,
            stance="objection",
            citizen_id=citizen["id"],
        )
    # Hold the policy rows until all three processes have counted the crossing and wait to
    # claim it, so they really race for the one claim instead of taking turns by chance.
    holder = await asyncpg.connect(pg_db)
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("SELECT id FROM policy FOR UPDATE")
        processes = [_scheduler_once(pg_db) for _ in range(3)]
        deadline = time.monotonic() + 180
        while await _waiting_on_locks(pg_db) < 3:
            assert time.monotonic() < deadline, "the processes should all wait for the claim"
            assert all(process.poll() is None for process in processes)
            await asyncio.sleep(0.1)
        await transaction.rollback()
    finally:
        await holder.close()
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        summaries.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(s["policy_reviews"]["opened"] for s in summaries) == [0, 0, 1]
    review = await PolicyReview.select().first()
    assert await PolicyReview.count() == 1
    assert (review["objectors"], review["status"]) == (30, "open")
    policy = await Policy.select(Policy.status).where(Policy.code == PARKING).first()
    assert policy["status"] == "under_review"
    opened = await OutboxMessage.select(OutboxMessage.channel).where(
        OutboxMessage.template == "policy_review_opened"
    )
    assert opened == [{"channel": "department_head"}]
