"""Several scheduler processes at once, and one killed mid-sweep, on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from core import clock
from core.reports.synthetic import seed_history
from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import (
    Department,
    OutboxMessage,
    Report,
    ReportEvent,
    ReportLadder,
    User,
    WarningLetter,
)
from tests.bot.local_api import LocalBotApi

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

INGATKAN = str(Path(sys.executable).parent / "ingatkan")
LADDER = ("reminder", "overdue", "escalated")
TELEGRAM_TOKEN = "123456:TEST-token-for-the-local-api"


async def _all_overdue(count: int) -> None:
    """`count` open reports whose every ladder step is already due."""
    await seed_history(reports=count, days=90)
    now = clock.now()
    dlh = await Department.select(Department.id).where(Department.code == "DLH").first()
    # reports still in triage have no department to send a warning letter to
    await Report.update({Report.department: dlh["id"]}).where(Report.department.is_null())
    await Report.update({Report.status: "open", Report.due_at: now - timedelta(days=6)}, force=True)
    # The ladder starts again below: the steps and letters the history climbed to go with it.
    await ReportEvent.delete().where(ReportEvent.kind.is_in(list(LADDER)))
    await WarningLetter.delete(force=True)
    await ReportLadder.update(
        {
            ReportLadder.level: 0,
            ReportLadder.next_escalation_at: now - timedelta(days=9),
            ReportLadder.escalate_at: now - timedelta(days=1),
        },
        force=True,
    )


def _scheduler_once(database_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [INGATKAN, "scheduler", "--once"],
        env={**os.environ, "INGATKAN_DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _assert_each_step_once(count: int) -> None:
    events = await ReportEvent.select(ReportEvent.report, ReportEvent.kind).where(
        ReportEvent.kind.is_in(list(LADDER))
    )
    assert len(events) == 3 * count
    assert len({(e["report"], e["kind"]) for e in events}) == 3 * count
    assert await WarningLetter.count() == count
    assert await ReportLadder.count().where(ReportLadder.level == 3) == count
    keys = await OutboxMessage.select(OutboxMessage.dedupe_key).where(
        OutboxMessage.template.is_in(list(LADDER))
    )
    assert len(keys) == len({k["dedupe_key"] for k in keys})
    assert len(keys) >= 3 * count  # department, head, leadership (+ citizen where known)


async def test_four_scheduler_processes_step_each_report_exactly_once(pg_db: str) -> None:
    await _all_overdue(20_000)
    processes = [_scheduler_once(pg_db) for _ in range(4)]
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        summaries.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(s["escalation"]["escalated"] for s in summaries) == 20_000
    assert sum(s["escalation"]["reminder"] for s in summaries) == 20_000
    assert sum(1 for s in summaries if s["escalation"]["batches"]) >= 2  # they shared the work
    await _assert_each_step_once(20_000)


async def test_a_scheduler_killed_mid_sweep_loses_and_doubles_nothing(pg_db: str) -> None:
    await _all_overdue(20_000)
    victim = _scheduler_once(pg_db)
    deadline = time.monotonic() + 600  # a guard against a hung process, not a measure
    while await WarningLetter.count() == 0:  # wait until it is well into the sweep
        assert victim.poll() is None and time.monotonic() < deadline, "the sweep never started"
        await asyncio.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    done = await ReportLadder.count().where(ReportLadder.level == 3)
    assert 0 < done < 20_000, "the kill should land mid-sweep"
    survivor = _scheduler_once(pg_db)
    _, err = survivor.communicate(timeout=600)
    assert survivor.returncode == 0, err
    await _assert_each_step_once(20_000)


async def test_the_scheduler_process_works_at_once_and_stops_cleanly_on_sigterm(
    pg_db: str,
) -> None:
    """Told to stop as soon as it says it started, the scheduler still completes the sweep:
    the sweep began at the start, not an interval later, and a stop lets it finish."""
    await _all_overdue(300)
    process = await asyncio.create_subprocess_exec(
        INGATKAN, "scheduler",
        env={**os.environ, "INGATKAN_DATABASE_URL": pg_db},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    said: list[str] = []
    try:
        while not said or "scheduler started" not in said[-1]:
            # a guard against a hung process, not a measure
            line = await asyncio.wait_for(process.stderr.readline(), timeout=600)
            assert line, "the scheduler ended before it started"
            said.append(line.decode())
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), timeout=600)
    assert process.returncode == 0, "".join(said) + err.decode()
    assert "scheduler stopped" in err.decode(), "".join(said) + err.decode()
    await _assert_each_step_once(300)


async def test_four_schedulers_send_each_message_once_to_telegram(pg_db: str) -> None:
    """The ladder's messages go out through the real PTB stack to a local Bot API server:
    four scheduler processes at once, each message to each recipient exactly once."""
    api = await LocalBotApi().start()
    try:
        await _all_overdue(300)
        dlh = await Department.select(Department.id).where(Department.code == "DLH").first()
        await Report.update({Report.department: dlh["id"]}, force=True)
        for username, role, chat in (("ani.dlh", "officer", 9001), ("bu.kadis", "head", 9002),
                                     ("sekda", "leadership", 9003)):  # fmt: skip
            user = await create_user(
                username=username, full_name=username, password="kata-sandi-panjang",
                role=role, department_code="DLH" if role != "leadership" else None,
                actor=Actor.system(),
            )  # fmt: skip
            await User.update({User.telegram_chat_id: chat}).where(User.id == user.id)
        env = {
            **os.environ,
            "INGATKAN_DATABASE_URL": pg_db,
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
        }

        async def once() -> None:
            process = await asyncio.create_subprocess_exec(
                INGATKAN, "scheduler", "--once", env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, err = await asyncio.wait_for(process.communicate(), timeout=600)
            assert process.returncode == 0, err.decode()

        await asyncio.gather(*(once() for _ in range(4)))
        await once()  # whatever one process queued after the others had delivered
        await _assert_each_step_once(300)
        calls = api.sent(method="sendMessage")
        per_chat = Counter(call.params["chat_id"] for call in calls)
        # officers: 300 reminders and the daily digest; the head: 300 overdue notices (and,
        # being staff of the department, the same 301 as the officers); leadership: 300
        assert per_chat[9003] == 300
        assert per_chat[9001] == 301 and per_chat[9002] == 601
        assert len({(call.params["chat_id"], call.params["text"]) for call in calls}) == len(calls)
        pending = await OutboxMessage.count().where(
            OutboxMessage.channel.is_in(["department", "department_head", "leadership"])
            & (OutboxMessage.status != "sent")
        )
        assert pending == 0
    finally:
        await api.stop()
