"""Urgent reports reach a person within minutes (a real SMTP server, aiosmtpd; both engines; the
clock pinned): every verifier hears of an urgent report nobody can route in the first delivery
pass, leadership and the admins when nobody acted in time, each exactly once however many
schedulers run; acting in time stops the watch; each department sets its own minutes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core import clock
from core.reports import lifecycle
from core.reports.emergency import TRIAGE_ACK_MINUTES
from core.reports.intake import public_report, submit_report
from core.reports.scheduled import alert_unanswered_urgent
from core.routing.registry import ensure_router
from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import Department, ReportEvent
from tests.helpers import ADMIN, FixedRouter
from tests.mail.conftest import MONDAY_9, PUBLIC_URL, Mailbox, mail_settings
from tests.mail.test_mail import plain
from tests.mail.test_staff_mail import _deliver_as_schedulers

WIRE = "Kabel listrik putus menjuntai ke jalan di depan SD, anak-anak lewat"
PLACE = "Jl. Kawi depan SD Kauman 1"
SARI, TONO = "sari@diskominfo.malangkota.go.id", "tono@diskominfo.malangkota.go.id"
WALI, ADMIN_MAIL = "sekda@malangkota.go.id", "admin@malangkota.go.id"
DINA = "dina@pu.malangkota.go.id"
ALERT = "[%s] MENDESAK: laporan perlu ditangani segera"
UNANSWERED = "[%s] MENDESAK: laporan belum ditangani siapa pun"


async def _user(username: str, role: str, email: str, department: str | None = None) -> None:
    await create_user(
        username=username,
        full_name=username.title(),
        password="kata-sandi-rahasia",
        role=role,
        department_code=department,
        email=email,
        actor=Actor.system(),
    )


async def _sweep_as_schedulers(count: int = 4) -> int:
    return sum(await asyncio.gather(*(alert_unanswered_urgent() for _ in range(count))))


def _subjects(mailbox: Mailbox, address: str) -> list[str]:
    return [message["Subject"] for message in mailbox.to(address)]


async def test_every_verifier_hears_at_once_and_leadership_when_nobody_acts(
    db: str, mailbox: Mailbox
) -> None:
    for username, role, email in [
        ("sari", "verifier", SARI), ("tono", "verifier", TONO),
        ("sekda", "leadership", WALI), ("admin", "admin", ADMIN_MAIL),
    ]:  # fmt: skip
        await _user(username, role, email)
    await _user("dina", "officer", DINA, "DPUPRPKP")
    router = await ensure_router()  # the classifier itself: urgent, and for no department
    decision = router.decide(WIRE)
    assert decision.urgent and decision.department_code is None
    settings = mail_settings(db, mailbox)

    with clock.frozen_at(MONDAY_9):
        report = await submit_report(text=WIRE, channel="api", router=router, address=PLACE)
        assert report.status == "triage" and report.alerted == "verifiers"
        await _deliver_as_schedulers(settings, count=1)  # one delivery pass
    code = report.tracking_code
    for verifier in (SARI, TONO):
        (alert,) = mailbox.to(verifier)
        assert alert["Subject"] == ALERT % code
        body = plain(alert)
        assert WIRE in body and PLACE in body
        assert body.count(f"{PUBLIC_URL}/officer/reports/{code}") == 1  # one link, not two
    assert [_subjects(mailbox, a) for a in (WALI, ADMIN_MAIL, DINA)] == [[], [], []]

    # Nobody routes it. A minute before the time, nothing; then exactly one step, however
    # many schedulers sweep and deliver, and again.
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=TRIAGE_ACK_MINUTES - 1)):
        assert await _sweep_as_schedulers() == 0
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=TRIAGE_ACK_MINUTES)):
        assert await _sweep_as_schedulers() == 1
        await _deliver_as_schedulers(settings)
        assert await _sweep_as_schedulers() == 0
        await _deliver_as_schedulers(settings)
    with clock.frozen_at(MONDAY_9 + timedelta(hours=3)):
        assert await _sweep_as_schedulers() == 0
        await _deliver_as_schedulers(settings)

    assert _subjects(mailbox, WALI) == [UNANSWERED % code]
    assert _subjects(mailbox, ADMIN_MAIL) == [UNANSWERED % code]
    assert _subjects(mailbox, SARI) == _subjects(mailbox, TONO) == [ALERT % code]
    assert _subjects(mailbox, DINA) == []
    (escalation,) = mailbox.to(WALI)
    assert plain(escalation).count(f"{PUBLIC_URL}/officer/reports/{code}") == 1
    events = await ReportEvent.select(ReportEvent.kind).where(
        ReportEvent.kind == "urgent_unanswered"
    )
    assert len(events) == 1
    # The step is on the staff timeline only.
    assert "urgent_unanswered" not in [
        entry.event for entry in (await public_report(code)).timeline
    ]


async def test_admins_hear_without_verifiers_and_acting_in_time_stops_the_watch(
    db: str, mailbox: Mailbox
) -> None:
    await _user("admin", "admin", ADMIN_MAIL)
    await _user("dina", "officer", DINA, "DPUPRPKP")
    await Department.update({Department.urgent_ack_minutes: 10}).where(
        Department.code == "DPUPRPKP"
    )
    settings = mail_settings(db, mailbox)
    with clock.frozen_at(MONDAY_9):
        waiting = await submit_report(
            text=WIRE, channel="api", router=FixedRouter(None, urgent=True)
        )
        direct = await submit_report(
            text="Tiang PJU miring hampir roboh ke jalan di Jl. Ijen depan museum",
            channel="api",
            router=FixedRouter("DPUPRPKP", urgent=True),
        )
        assert (waiting.alerted, direct.alerted) == ("admins", "department")
        await _deliver_as_schedulers(settings, count=1)
    assert _subjects(mailbox, ADMIN_MAIL) == [ALERT % waiting.tracking_code]
    assert _subjects(mailbox, DINA) == [ALERT % direct.tracking_code]

    # The admin routes the waiting one in time: the department is alerted, and its own ten
    # minutes start.
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=5)):
        await lifecycle.route(
            tracking_code=waiting.tracking_code, department_code="DPUPRPKP", actor=ADMIN
        )
        await _deliver_as_schedulers(settings, count=1)
    assert _subjects(mailbox, DINA) == [ALERT % direct.tracking_code, ALERT % waiting.tracking_code]
    # Dina takes the routed one on at once; the direct one waits past its ten minutes.
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=9)):
        assert await _sweep_as_schedulers() == 0
        await lifecycle.acknowledge(tracking_code=waiting.tracking_code, actor=ADMIN)
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=10)):
        assert await _sweep_as_schedulers() == 1
    with clock.frozen_at(MONDAY_9 + timedelta(hours=2)):
        assert await _sweep_as_schedulers() == 0
        await _deliver_as_schedulers(settings)
    assert _subjects(mailbox, ADMIN_MAIL) == [
        ALERT % waiting.tracking_code,
        UNANSWERED % direct.tracking_code,
    ]
