"""The escalation ladder with a controllable clock, on both engines."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core import clock
from core.reports.intake import submit_report
from core.service_levels import escalation, scheduled
from db.tables import Citizen, OutboxMessage, ReportEvent, ReportLadder, WarningLetter
from tests.helpers import FixedRouter, perform

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)  # first response due Thursday 09:00


async def _citizen() -> int:
    rows = await Citizen.insert(
        Citizen(channel="telegram", telegram_chat_id=555001, created_at=clock.now())
    ).returning(Citizen.id)
    return rows[0]["id"]


async def _submit(citizen_id: int | None = None, department: str = "DLH") -> dict:
    with clock.frozen_at(MONDAY_9):
        return await submit_report(
            text="Sampah di TPS Jl. Sulfat tidak diangkut sudah seminggu, bau sekali",
            channel="telegram",
            router=FixedRouter(department),
            citizen_id=citizen_id,
        )


async def _sweep_at(moment: datetime) -> dict:
    with clock.frozen_at(moment):
        return msgspec.structs.asdict(await scheduled.sweep())


async def _level(report: dict[str, Any]) -> int:
    row = await ReportLadder.select(ReportLadder.level).where(ReportLadder.id == report.ladder)
    return row[0]["level"]


async def _ladder_events(report_id: int) -> list[str]:
    rows = await ReportEvent.select(ReportEvent.kind).where(
        (ReportEvent.report == report_id) & ReportEvent.kind.is_in(list(escalation.STEPS.values()))
    )
    return [row["kind"] for row in rows]


async def _messages(report_id: int) -> list[tuple[str, str]]:
    rows = await OutboxMessage.select(OutboxMessage.channel, OutboxMessage.template).where(
        (OutboxMessage.report == report_id)
        & OutboxMessage.template.is_in(list(escalation.STEPS.values()))
    )
    return sorted((row["template"], row["channel"]) for row in rows)


async def test_each_step_fires_once_at_its_moment_to_the_right_people(db: str) -> None:
    report = await _submit(await _citizen())
    due = datetime(2026, 12, 3, 9, 0, tzinfo=WIB)
    assert report.due_at == due
    half = MONDAY_9 + (due - MONDAY_9) / 2  # Tuesday 21:00
    twice = due + (due - MONDAY_9)  # Sunday 09:00

    assert (await _sweep_at(half - timedelta(seconds=1)))["reminder"] == 0
    assert (await _sweep_at(half))["reminder"] == 1
    assert (await _sweep_at(half + timedelta(hours=1)))["reminder"] == 0  # not twice
    assert await _ladder_events(report.id) == ["reminder"]
    assert await _messages(report.id) == [("reminder", "department")]

    assert (await _sweep_at(due - timedelta(seconds=1)))["overdue"] == 0
    assert (await _sweep_at(due))["overdue"] == 1
    assert (await _sweep_at(due + timedelta(days=1)))["overdue"] == 0
    assert await _messages(report.id) == [
        ("overdue", "citizen"),
        ("overdue", "department_head"),
        ("reminder", "department"),
    ]

    result = await _sweep_at(twice)
    assert result["escalated"] == 1 and result["letters"] == 1
    assert (await _sweep_at(twice + timedelta(days=30)))["escalated"] == 0
    assert await _ladder_events(report.id) == ["reminder", "overdue", "escalated"]
    assert ("escalated", "leadership") in await _messages(report.id)
    letters = await WarningLetter.select()
    assert len(letters) == 1
    assert report.tracking_code in letters[0]["text"]
    assert "Dinas Lingkungan Hidup" in letters[0]["text"]
    assert "3 Desember 2026, pukul 09.00 WIB" in letters[0]["text"]


async def test_a_late_sweep_takes_every_missed_step_once(db: str) -> None:
    report = await _submit(await _citizen())
    result = await _sweep_at(MONDAY_9 + timedelta(days=30))
    assert (result["reminder"], result["overdue"], result["escalated"]) == (1, 1, 1)
    assert await _ladder_events(report.id) == ["reminder", "overdue", "escalated"]
    assert (await _sweep_at(MONDAY_9 + timedelta(days=31)))["escalated"] == 0


async def test_answering_stops_the_ladder_and_a_new_deadline_starts_it_again(db: str) -> None:
    report = await _submit()
    await _sweep_at(datetime(2026, 12, 1, 22, 0, tzinfo=WIB))  # reminder
    with clock.frozen_at(datetime(2026, 12, 2, 8, 0, tzinfo=WIB)):
        acknowledged = await perform("acknowledge", report.tracking_code)
    assert await _level(acknowledged) == 0
    assert acknowledged.due_at > datetime(2026, 12, 15, tzinfo=WIB)  # 14 working days
    result = await _sweep_at(datetime(2026, 12, 3, 10, 0, tzinfo=WIB))
    assert result["overdue"] == 0  # the first-response deadline no longer applies
    with clock.frozen_at(datetime(2026, 12, 4, 8, 0, tzinfo=WIB)):
        await perform("resolve", report.tracking_code)
    assert (await _sweep_at(datetime(2027, 6, 1, tzinfo=WIB)))["escalated"] == 0
    assert await _ladder_events(report.id) == ["reminder"]


async def test_triage_reports_remind_the_verifiers(db: str) -> None:
    report = await _submit(department=None)  # type: ignore[arg-type]
    await _sweep_at(MONDAY_9 + timedelta(days=1))  # triage is due Tuesday 09:00
    assert await _messages(report.id) == [("overdue", "verifier"), ("reminder", "verifier")]


async def test_many_reports_and_concurrent_sweeps_step_each_exactly_once(db: str) -> None:
    for _ in range(30):
        await _submit()
    late = MONDAY_9 + timedelta(days=30)
    with clock.frozen_at(late):
        results = await asyncio.gather(*(scheduled.sweep(batch=7) for _ in range(4)))
    assert sum(r.escalated for r in results) == 30
    assert sum(r.reminder for r in results) == 30
    events = await ReportEvent.select(ReportEvent.report, ReportEvent.kind).where(
        ReportEvent.kind.is_in(["reminder", "overdue", "escalated"])
    )
    assert len(events) == 90
    assert len({(e["report"], e["kind"]) for e in events}) == 90
    assert await WarningLetter.count() == 30
    assert await ReportLadder.count().where(ReportLadder.level == 3) == 30
