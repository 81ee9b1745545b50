"""Mail through a real SMTP server (aiosmtpd), on both engines, the clock pinned: a receipt
with a confirmation link, updates only to a confirmed address and exactly once, a permanent
refusal recorded and not retried, an unsubscribe that holds, and a confirmed address as a
verified objector."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from email.message import EmailMessage

import pytest

from config.settings import Settings
from core import clock
from core.citizens.mail import LinkNotValid, confirm_address, unsubscribe
from core.policies.reviews import open_due_reviews
from core.reports.intake import Reporter
from db.tables import Citizen, MailReceipt, OutboxMessage
from scheduler.delivery import DeliveryStats, deliver_all
from scheduler.mail import mail_deliverers
from scheduler.runner import delivery_channels
from tests.core.test_policy_reviews import parking_pressure, speak
from tests.helpers import FixedRouter, perform, report_in
from tests.mail.conftest import MONDAY_9, PUBLIC_URL, Mailbox, mail_settings

SITI = "siti@example.id"


async def deliver(settings: Settings) -> DeliveryStats:
    async with mail_deliverers(settings) as deliverers:
        return await deliver_all(deliverers=deliverers)


def plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def readable(message: EmailMessage) -> str:
    """What a reader of the mail can see: its headers and every text part, decoded (not the
    raw MIME, whose random boundary may hold any run of digits: the Content-Type header names
    it too, so that header is read as its type alone)."""
    headers = "\n".join(
        f"{name}: {message.get_content_type() if name.lower() == 'content-type' else value}"
        for name, value in message.items()
    )
    parts = [
        str(part.get_content()) for part in message.walk() if part.get_content_maintype() == "text"
    ]
    return "\n".join([headers, *parts])


def link(message: EmailMessage, kind: str) -> str:
    found = re.search(rf"{PUBLIC_URL}/surel/{kind}/(\S+)", plain(message))
    assert found, plain(message)
    return found.group(1)


async def web_report(email: str = "Siti@Example.id ") -> str:
    report = await report_in(
        "triage",
        channel="web",
        router=FixedRouter("DPUPRPKP"),
        reporter=Reporter(name="Siti", email=email),
    )
    return report.tracking_code


async def test_a_receipt_then_updates_only_once_confirmed_and_exactly_once(
    db: str, mailbox: Mailbox, pinned: None
) -> None:
    settings = mail_settings(db, mailbox)
    code = await web_report()
    assert (await deliver(settings)).sent == 1
    (receipt,) = mailbox.to(SITI)
    assert code in receipt["Subject"]
    text = plain(receipt)
    assert f"{PUBLIC_URL}/lacak/{code}" in text
    assert "Dinas Pekerjaan Umum" in text and "paling lambat" in text
    html = receipt.get_body(preferencelist=("html",))
    assert html is not None and f'href="{PUBLIC_URL}/lacak/{code}"' in str(html.get_content())
    assert receipt["List-Unsubscribe"].strip().startswith(f"<{PUBLIC_URL}/surel/berhenti/")

    # Unconfirmed: a staff action is not mailed.
    await perform("acknowledge", code)
    stats = await deliver(settings)
    assert (stats.sent, stats.skipped) == (0, 1)
    assert len(mailbox.to(SITI)) == 1

    token = link(receipt, "konfirmasi")
    await confirm_address(token=token)
    with pytest.raises(LinkNotValid):  # single use
        await confirm_address(token=token)

    # Confirmed: each staff action is one mail, however many schedulers deliver.
    await perform("resolve", code)
    results = await asyncio.gather(*(deliver(settings) for _ in range(4)))
    assert sum(result.sent for result in results) == 1
    resolved = mailbox.to(SITI)[-1]
    assert len(mailbox.to(SITI)) == 2 and code in resolved["Subject"]
    assert "Lubang sudah ditambal" in plain(resolved)
    assert "konfirmasi" not in plain(resolved)

    # The same address again is the same citizen, and is not asked to confirm again.
    again = await web_report(SITI)
    await deliver(settings)
    second_receipt = mailbox.to(SITI)[-1]
    assert again in second_receipt["Subject"] and "/surel/konfirmasi/" not in plain(second_receipt)
    assert await Citizen.count() == 1


async def test_a_confirmation_link_expires(db: str, mailbox: Mailbox) -> None:
    settings = mail_settings(db, mailbox)
    with clock.frozen_at(MONDAY_9):
        await web_report()
        await deliver(settings)
    (receipt,) = mailbox.messages
    with clock.frozen_at(MONDAY_9 + timedelta(days=8)), pytest.raises(LinkNotValid):
        await confirm_address(token=link(receipt, "konfirmasi"))


async def test_a_permanent_refusal_is_failed_and_not_retried(
    db: str, mailbox: Mailbox, pinned: None
) -> None:
    settings = mail_settings(db, mailbox)
    mailbox.refuse.add(SITI)
    await web_report()
    stats = await deliver(settings)
    assert (stats.sent, stats.failed, stats.retried) == (0, 1, 0)
    row = (
        await OutboxMessage.select(OutboxMessage.status, OutboxMessage.last_error)
        .where(OutboxMessage.channel == "email")
        .first()
    )
    assert row["status"] == "failed" and "550" in row["last_error"]
    with clock.frozen_at(MONDAY_9 + timedelta(days=1)):
        assert (await deliver(settings)).claimed == 0


async def test_a_server_that_is_down_is_retried_later(db: str, mailbox: Mailbox) -> None:
    down = Settings(database_url=db, smtp=mail_settings(db, mailbox).smtp.__class__(
        host="127.0.0.1", port=1, security="plain"))  # fmt: skip
    with clock.frozen_at(MONDAY_9):
        await web_report()
        stats = await deliver(down)
    assert (stats.retried, stats.failed) == (1, 0)
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=5)):
        assert (await deliver(mail_settings(db, mailbox))).sent == 1
    assert len(mailbox.messages) == 1


async def test_a_passing_refusal_is_retried_later(db: str, mailbox: Mailbox) -> None:
    settings = mail_settings(db, mailbox)
    mailbox.defer.add(SITI)
    with clock.frozen_at(MONDAY_9):
        await web_report()
        stats = await deliver(settings)
    assert (stats.retried, stats.failed) == (1, 0)
    mailbox.defer.clear()
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=5)):
        assert (await deliver(settings)).sent == 1
    assert len(mailbox.to(SITI)) == 1


async def test_a_retry_after_an_unrecorded_send_does_not_mail_twice(
    db: str, mailbox: Mailbox, pinned: None
) -> None:
    settings = mail_settings(db, mailbox)
    await web_report()
    await deliver(settings)
    # The worker died after sending, before recording: the message is due again.
    await OutboxMessage.update(
        {OutboxMessage.status: "pending", OutboxMessage.next_attempt_at: clock.now()}
    ).where(OutboxMessage.channel == "email")
    assert (await deliver(settings)).sent == 1
    assert len(mailbox.messages) == 1 and await MailReceipt.count() == 1


async def test_unsubscribing_stops_mail(db: str, mailbox: Mailbox, pinned: None) -> None:
    settings = mail_settings(db, mailbox)
    code = await web_report()
    await deliver(settings)
    (receipt,) = mailbox.messages
    await confirm_address(token=link(receipt, "konfirmasi"))
    await unsubscribe(token=link(receipt, "berhenti"))
    await unsubscribe(token=link(receipt, "berhenti"))  # twice changes nothing
    await perform("acknowledge", code)
    assert (await deliver(settings)).skipped == 1
    assert len(mailbox.messages) == 1


async def test_without_an_smtp_server_mail_waits(db: str, pinned: None) -> None:
    async with delivery_channels(Settings(database_url=db)) as deliverers:
        assert "email" not in deliverers
    await web_report()
    rows = await OutboxMessage.select(OutboxMessage.status).where(OutboxMessage.channel == "email")
    assert rows == [{"status": "pending"}]


async def test_unconfirmed_addresses_open_no_review_confirmed_ones_do(
    db: str, mailbox: Mailbox, pinned: None
) -> None:
    settings = mail_settings(db, mailbox)
    for n in range(25):
        await speak(None, channel="api", reporter=Reporter(email=f"warga{n}@contoh.id"))
    pressure = await parking_pressure()
    assert (pressure.objections, pressure.objectors) == (25, 0)
    assert await open_due_reviews() == []
    await deliver(settings)
    assert len(mailbox.messages) == 25
    for receipt in mailbox.messages:
        await confirm_address(token=link(receipt, "konfirmasi"))
    pressure = await parking_pressure()
    assert (pressure.objections, pressure.objectors) == (25, 25)
    assert len(await open_due_reviews()) == 1
