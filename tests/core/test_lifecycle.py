"""The report lifecycle on both engines: every action from every state."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.errors import Forbidden, IllegalTransition, InvalidInput
from core.reports import lifecycle
from core.reports.intake import public_report, submit_report
from core.reports.lifecycle import TRANSITIONS, Status
from core.reports.models import ReportRecord
from core.staff.actors import Actor, ActorKind, Role
from core.staff.users import create_user
from db.tables import Department, OutboxMessage, Report, ReportEvent, TrainingExample, User
from tests.helpers import ADMIN, FixedRouter, perform, report_in

CASES = [(action, status) for action in TRANSITIONS for status in Status]


async def _events(code: str) -> list[dict]:
    report = await Report.select(Report.id).where(Report.tracking_code == code).first()
    return (
        await ReportEvent.select()
        .where(ReportEvent.report == report["id"])
        .order_by(ReportEvent.id)
    )


@pytest.mark.parametrize(("action", "status"), CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
async def test_every_action_from_every_state(db: str, action: str, status: Status) -> None:
    report = await report_in(status)
    code = report.tracking_code
    before = await _events(code)
    transition = TRANSITIONS[action]
    if status in transition.sources:
        after = await perform(action, code)
        assert after.status == (transition.target or status)
        events = await _events(code)
        assert len(events) == len(before) + 1
        assert events[-1]["kind"] == transition.event
        assert events[-1]["from_status"] == status
        assert events[-1]["to_status"] == after.status
    else:
        with pytest.raises(IllegalTransition):
            await perform(action, code)
        unchanged = await Report.select(Report.status).where(Report.tracking_code == code).first()
        assert unchanged["status"] == status
        assert len(await _events(code)) == len(before)


async def test_timeline_records_each_change_once_with_actor_and_time(db: str) -> None:
    officer_department = (
        await Department.select(Department.id).where(Department.code == "DPUPRPKP").first()
    )
    officer = Actor(
        kind=ActorKind.OFFICER, role=Role.OFFICER, department_id=officer_department["id"]
    )
    report = await report_in("open")
    code = report.tracking_code
    await perform("acknowledge", code, officer)
    await perform("respond", code, officer)
    await perform("resolve", code, officer)
    await lifecycle.close(tracking_code=code, actor=ADMIN, rating=4)
    events = await _events(code)
    assert [e["kind"] for e in events] == [
        "submitted", "routed", "acknowledged", "responded", "resolved", "closed",
    ]  # fmt: skip
    assert [e["actor_kind"] for e in events] == [
        "citizen", "officer", "officer", "officer", "officer", "officer",
    ]  # fmt: skip
    times = [e["created_at"] for e in events]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
    public = await public_report(code)
    assert [entry.event for entry in public.timeline] == [e["kind"] for e in events]
    assert public.rating == 4


async def test_officer_acts_only_on_own_department(db: str) -> None:
    dlh = await Department.select(Department.id).where(Department.code == "DLH").first()
    outsider = Actor(kind=ActorKind.OFFICER, role=Role.OFFICER, department_id=dlh["id"])
    report = await report_in("open")  # routed to DPUPRPKP
    with pytest.raises(Forbidden):
        await perform("acknowledge", report.tracking_code, outsider)
    leadership = Actor(kind=ActorKind.OFFICER, role=Role.LEADERSHIP)
    with pytest.raises(Forbidden):
        await perform("resolve", report.tracking_code, leadership)
    status = await Report.select(Report.status).where(Report.id == report.id).first()
    assert status["status"] == "open"


async def test_reroute_needs_reason_and_another_department_and_teaches_classifier(
    db: str,
) -> None:
    report = await report_in("in_progress")
    code = report.tracking_code
    with pytest.raises(InvalidInput) as missing:
        await lifecycle.reroute(tracking_code=code, department_code="DLH", reason=" ", actor=ADMIN)
    assert missing.value.field == "note"
    with pytest.raises(InvalidInput) as same:
        await lifecycle.reroute(
            tracking_code=code, department_code="DPUPRPKP", reason="salah", actor=ADMIN
        )
    assert same.value.field == "department"
    after = await perform("reroute", code)
    assert after.status == "open" and after.reroute_count == 1
    examples = await TrainingExample.select(TrainingExample.department_code, TrainingExample.source)
    assert {(e["department_code"], e["source"]) for e in examples} == {
        ("DPUPRPKP", "route"),
        ("DLH", "reroute"),
    }


async def test_notifications_are_queued_with_the_change(db: str) -> None:
    await create_user(
        username="bayu",
        full_name="Bayu",
        password="kata-sandi-rahasia",
        role="officer",
        department_code="BPBD",
        actor=Actor.system(),
    )
    await User.update({User.telegram_chat_id: 700_100}).where(User.username == "bayu")
    report = await submit_report(
        text="Pohon tumbang menutup jalan di Jl. Ijen setelah hujan angin",
        channel="telegram",
        router=FixedRouter("BPBD", urgent=True),
    )
    queued = await OutboxMessage.select(OutboxMessage.channel, OutboxMessage.template)
    # no citizen contact: only the department is told, at once, as urgent
    assert queued == [{"channel": "department", "template": "emergency"}]
    assert report.status == "open" and report.urgent
    # two hours, to the whole second the deadline is promised to
    due_in = report.due_at - report.created_at
    assert timedelta(hours=2) <= due_in < timedelta(hours=2, seconds=1)
    assert report.due_at.microsecond == 0


async def test_two_officers_acknowledging_at_once_make_one_event(db: str) -> None:
    report = await report_in("open")
    code = report.tracking_code
    results = await asyncio.gather(
        *(perform("acknowledge", code) for _ in range(5)), return_exceptions=True
    )
    successes = [r for r in results if isinstance(r, ReportRecord)]
    assert len(successes) == 1
    assert all(isinstance(r, IllegalTransition) for r in results if not isinstance(r, ReportRecord))
    kinds = [e["kind"] for e in await _events(code)]
    assert kinds.count("acknowledged") == 1


async def test_two_hundred_concurrent_submissions_get_unique_codes(db: str) -> None:
    texts = [f"Lampu PJU mati nomor tiang {i} di Jl. Veteran dekat UB" for i in range(200)]
    reports = await asyncio.gather(
        *(submit_report(text=text, channel="api", router=FixedRouter("DPUPRPKP")) for text in texts)
    )
    codes = {r.tracking_code for r in reports}
    assert len(codes) == 200
    assert await Report.count() == 200
    assert await ReportEvent.count() == 200
