"""Every event a Telegram citizen is told about reaches a confirmed address too, as one mail
with the tracking code in its subject, however many schedulers deliver: each staff action,
the deadline passing, and the decision on a policy the citizen objected to."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from config.settings import Settings
from core import clock
from core.citizens.mail import confirm_address
from core.policies.reviews import decide, open_due_reviews
from core.reports.intake import Reporter
from core.service_levels.scheduled import sweep
from db.tables import Policy, Report
from tests.core.test_policy_reviews import PARKING, speak, staff
from tests.helpers import FixedRouter, TriageRouter, perform, report_in
from tests.mail.conftest import Mailbox, mail_settings
from tests.mail.test_mail import SITI, deliver, link, plain


async def confirmed(settings: Settings, mailbox: Mailbox) -> None:
    """Siti's first report brings the receipt; she follows its confirmation link."""
    await deliver(settings)
    (receipt,) = mailbox.to(SITI)
    await confirm_address(token=link(receipt, "konfirmasi"))


async def one_mail(settings: Settings, mailbox: Mailbox, code: str) -> str:
    """Deliver with four schedulers at once; exactly one new mail, about `code`."""
    before = len(mailbox.to(SITI))
    await asyncio.gather(*(deliver(settings) for _ in range(4)))
    mails = mailbox.to(SITI)
    assert len(mails) == before + 1, [m["Subject"] for m in mails[before:]]
    assert code in mails[-1]["Subject"]
    return plain(mails[-1])


async def siti_reports(*, routed: bool) -> str:
    report = await report_in(
        "triage",
        channel="web",
        router=FixedRouter("DPUPRPKP") if routed else TriageRouter(),
        reporter=Reporter(name="Siti", email=SITI),
    )
    return report.tracking_code


async def test_each_staff_action_is_one_mail(db: str, mailbox: Mailbox, pinned: None) -> None:
    settings = mail_settings(db, mailbox)
    code = await siti_reports(routed=True)
    await confirmed(settings, mailbox)

    told = {}
    for action in ("acknowledge", "respond", "mark_field_work", "reroute", "resolve", "close"):
        await perform(action, code)
        told[action] = await one_mail(settings, mailbox, code)
    assert "Petugas menuju lokasi besok pagi" in told["respond"]
    assert "Perlu pengaspalan ulang" in told["mark_field_work"]
    assert "Lubang sudah ditambal" in told["resolve"]
    assert len(set(told.values())) == len(told)  # each event says something of its own

    triaged = await siti_reports(routed=False)
    await one_mail(settings, mailbox, triaged)  # its receipt
    await perform("route", triaged)
    await one_mail(settings, mailbox, triaged)
    await perform("refer", triaged)
    assert "Bina Marga Jatim" in await one_mail(settings, mailbox, triaged)

    rejected = await siti_reports(routed=True)
    await one_mail(settings, mailbox, rejected)
    await perform("reject", rejected)
    assert "Laporan ganda" in await one_mail(settings, mailbox, rejected)


async def test_the_deadline_passing_is_one_mail(db: str, mailbox: Mailbox, pinned: None) -> None:
    settings = mail_settings(db, mailbox)
    code = await siti_reports(routed=True)
    await confirmed(settings, mailbox)
    due = await Report.select(Report.due_at).where(Report.tracking_code == code).first()
    with clock.frozen_at(due["due_at"] + timedelta(minutes=1)):
        assert (await sweep()).overdue == 1
        await one_mail(settings, mailbox, code)
    with clock.frozen_at(due["due_at"] + timedelta(days=60)):
        await sweep()  # escalation goes to leadership, not to the citizen
        await asyncio.gather(*(deliver(settings) for _ in range(4)))
    assert len(mailbox.to(SITI)) == 2


async def test_the_decision_on_a_policy_she_objected_to_is_one_mail(
    db: str, mailbox: Mailbox, pinned: None
) -> None:
    settings = mail_settings(db, mailbox)
    await Policy.update({Policy.review_threshold: 1}).where(Policy.code == PARKING)
    objection = await speak(None, channel="api", reporter=Reporter(email=SITI))
    await confirmed(settings, mailbox)
    (review_id,) = await open_due_reviews()
    head = await staff("kadishub", "head", "DISHUB")
    await decide(
        review_id=review_id,
        decision="keep",
        rationale="Tarif tetap, jukir wajib memakai karcis nontunai.",
        actor=head,
    )
    assert "karcis nontunai" in await one_mail(settings, mailbox, objection.tracking_code)
