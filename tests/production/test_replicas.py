"""Two API replicas and two schedulers as real processes on one PostgreSQL and one Redis,
under a mixed load: nothing acknowledged is lost, nothing happens twice, and the per-client
rate limit is one limit across the replicas."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import Department, OutboxMessage, Report, ReportEvent, ReportLadder
from tests.pages.sessions import PASSWORD
from tests.production.load import GUARD_SECONDS, STEPS, Load, Tally
from tests.production.processes import (
    ApiReplica,
    forget_redis_keys,
    start_scheduler,
    stop_scheduler,
)
from tests.scheduler.test_processes import _all_overdue, _assert_each_step_once

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

RATE_LIMIT = 10  # per client and minute, across both replicas
OVERDUE = 2_000  # reports the two schedulers escalate while the load runs


async def _officers() -> dict[str, str]:
    """An officer for every department, as the departments' staff would be."""
    officers = {}
    for row in await Department.select(Department.code):
        username = f"petugas.{row['code'].lower().replace('_', '-')}"
        await create_user(
            username=username,
            full_name=f"Petugas {row['code']}",
            password=PASSWORD,
            role="officer",
            department_code=row["code"],
            actor=Actor.system(),
        )
        officers[row["code"]] = username
    return officers


@pytest.fixture
async def replicas(pg_db: str, tmp_path: Path) -> AsyncIterator[list[ApiReplica]]:
    forget_redis_keys()
    pair = [
        ApiReplica(pg_db, tmp_path, INGATKAN_RATE_LIMIT=f"{RATE_LIMIT}/minute") for _ in range(2)
    ]
    try:
        await asyncio.gather(*(asyncio.to_thread(replica.start) for replica in pair))
        yield pair
    finally:
        for replica in pair:
            replica.stop()
        forget_redis_keys()


async def assert_nothing_lost_or_doubled(
    tally: Tally, *, first_id: int, replies_cut_off: bool = False
) -> None:
    """Every 201 is one report; every step the load was told happened is one event. With
    `replies_cut_off` (a replica was killed) a step may also have happened though its reply
    never arrived, but still never twice."""
    rows = await Report.select(Report.id, Report.tracking_code).where(Report.id >= first_id)
    codes = Counter(row["tracking_code"] for row in rows)
    missing = [code for code in tally.acknowledged if codes[code] != 1]
    assert not missing, f"{len(missing)} acknowledged reports are not in the database once"
    ids = {row["id"]: row["tracking_code"] for row in rows}
    events = await ReportEvent.select(ReportEvent.report, ReportEvent.kind).where(
        ReportEvent.report >= first_id
    )
    per_kind = Counter((ids[event["report"]], event["kind"]) for event in events)
    doubled = {key: count for key, count in per_kind.items() if count > 1}
    assert not doubled, f"steps recorded twice: {list(doubled.items())[:5]}"
    for code in tally.acknowledged:
        assert per_kind[(code, "submitted")] == 1
        for _, kind in STEPS:
            if replies_cut_off:
                assert per_kind[(code, kind)] >= tally.events[(code, kind)], (code, kind)
            else:
                assert per_kind[(code, kind)] == tally.events[(code, kind)], (code, kind)
    keys = [row["dedupe_key"] for row in await OutboxMessage.select(OutboxMessage.dedupe_key)]
    assert len(keys) == len(set(keys))


async def _next_report_id() -> int:
    last = await Report.select(Report.id).order_by(Report.id, ascending=False).first()
    return (last["id"] if last else 0) + 1


async def test_two_replicas_and_two_schedulers_under_load(
    pg_db: str, replicas: list[ApiReplica], tmp_path: Path
) -> None:
    await _all_overdue(OVERDUE)
    first_id = await _next_report_id()
    load = Load([replica.base_url for replica in replicas], await _officers())
    await load.sign_in_officers()  # on the first replica; the sessions live in Redis
    schedulers = [start_scheduler(pg_db, tmp_path, name) for name in ("a", "b")]
    try:
        tally = await load.run()
        # one client, many requests at once, spread over both replicas
        address = {"X-Forwarded-For": "192.0.2.77"}
        async with httpx.AsyncClient(timeout=30) as client:
            burst = await asyncio.gather(
                *(
                    client.post(
                        f"{replicas[n % 2].base_url}/api/v1/reports",
                        json={"text": f"Lampu PJU mati di Jl. Ijen nomor {n}"},
                        headers=address,
                    )
                    for n in range(3 * RATE_LIMIT)
                )
            )
        deadline = time.monotonic() + GUARD_SECONDS
        while await ReportLadder.count().where(ReportLadder.level == 3) < OVERDUE:
            assert time.monotonic() < deadline, "the schedulers did not finish their sweep"
            await asyncio.sleep(0.2)
    finally:
        await load.close()
        exits = [stop_scheduler(process) for process in schedulers]
    assert exits == [0, 0]  # SIGTERM: each finished its batch and stopped cleanly

    assert not tally.server_errors, tally.server_errors[:5]
    assert not tally.transport_errors, tally.transport_errors[:5]
    assert tally.is_a_load(), tally.statuses
    # each first step went to both replicas at once; exactly one of them did it
    acknowledged = [code for (code, kind), n in tally.events.items() if kind == "acknowledged"]
    assert acknowledged and all(tally.events[(code, "acknowledged")] == 1 for code in acknowledged)
    assert tally.statuses[409] >= len(acknowledged)

    statuses = Counter(response.status_code for response in burst)
    assert statuses == {201: RATE_LIMIT, 429: 2 * RATE_LIMIT}
    for response in burst:
        if response.status_code == 201:
            tally.acknowledged[response.json()["tracking_code"]] = None

    await assert_nothing_lost_or_doubled(tally, first_id=first_id)
    # nothing was written that the load was not told about
    assert await Report.count().where(Report.id >= first_id) == len(tally.acknowledged)
    await _assert_each_step_once(OVERDUE)


async def test_a_replica_killed_under_load_loses_no_report_and_leaves_none_half_written(
    replicas: list[ApiReplica],
) -> None:
    first_id = await _next_report_id()
    load = Load([replica.base_url for replica in replicas], await _officers())
    await load.sign_in_officers()
    victim = replicas[0]

    after_restart: list[int] = []  # reports acknowledged when the victim was back

    async def kill_and_restart() -> None:
        await load.reached(lambda tally: len(tally.acknowledged) >= 30, "30 reports")
        victim.kill()
        # the load keeps hitting the dead port meanwhile
        await load.reached(lambda tally: len(tally.transport_errors) >= 10, "dead port")
        await asyncio.to_thread(victim.start)
        after_restart.append(len(load.tally.acknowledged))

    def done(tally: Tally) -> bool:
        """A load, of which 50 reports came after the restart."""
        restarted = bool(after_restart) and len(tally.acknowledged) >= after_restart[0] + 50
        return restarted and tally.is_a_load()

    try:
        tally, _ = await asyncio.gather(load.run(until=done), kill_and_restart())
    finally:
        await load.close()
    assert victim.process is not None and victim.process.poll() is None  # it came back
    assert tally.transport_errors, "the kill should have cut requests off"
    assert not tally.server_errors, tally.server_errors[:5]
    assert tally.is_a_load(), tally.statuses
    # both replicas took reports after the restart
    async with httpx.AsyncClient(timeout=30) as client:
        for replica in replicas:
            created = await client.post(
                f"{replica.base_url}/api/v1/reports",
                json={"text": "Saluran air tersumbat di Jl. Bandung setelah hujan"},
                headers={"X-Forwarded-For": "192.0.2.99"},
            )
            assert created.status_code == 201, created.text
            tally.acknowledged[created.json()["tracking_code"]] = None

    await assert_nothing_lost_or_doubled(tally, first_id=first_id, replies_cut_off=True)
    # no half-written report: each one has its first event, and no event lacks its report
    reports = await Report.select(Report.id).where(Report.id >= first_id)
    submitted = await ReportEvent.select(ReportEvent.report).where(
        (ReportEvent.report >= first_id) & (ReportEvent.kind == "submitted")
    )
    assert sorted(row["report"] for row in submitted) == sorted(row["id"] for row in reports)
    orphans = await ReportEvent.raw(
        "SELECT count(*) AS n FROM report_event e LEFT JOIN report r ON r.id = e.report "
        "WHERE r.id IS NULL"
    )
    assert orphans[0]["n"] == 0
