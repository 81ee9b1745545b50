"""Mail delivery of the outbox: the `email` channel, through the city's SMTP server.

Each mail has a plain-text and a simple HTML part in the citizen's language, the tracking code
in the subject, a link to the report's public page and an unsubscribe link; the receipt of a
report (template `submitted`) goes to any address not unsubscribed and, while the address is
unconfirmed, carries the confirmation link; every other mail goes to confirmed addresses only
(core/citizens/mail.py). The server's answer maps onto the outbox's outcomes: 5xx ->
PermanentFailure, 4xx or no connection -> RetryLater. A receipt per outbox message
(core/messaging/receipts.py) keeps a retry from mailing twice.

Staff who linked no Telegram chat hear of their notices here too (core/staff/notices.py): the
`staff_email` channel, one outbox message per staff member and event, in Indonesian, with the
report's tracking code or the policy review in the subject and a link to the staff page. No
confirmation (an admin entered the address) and no unsubscribe link (the admin removes it);
never a reporter's name or contact, and a confidential report's text stays on the staff page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import Any

import aiosmtplib
import msgspec

from bot.delivery import citizen_message, staff_message
from bot.texts import day, short_names, suggested_referral_text, when
from config.settings import Settings, SmtpServer
from core.citizens.mail import CONFIRM, UNSUBSCRIBE, mail_citizen, new_link_token
from core.citizens.models import MailCitizen
from core.messaging.models import Delivery, ReportContext, StaffMailRecipient
from core.messaging.outbox import (
    CHANNEL_TIMEOUT,
    STAFF_EMAIL,
    Deliverer,
    PermanentFailure,
    RetryLater,
    Unreachable,
)
from core.messaging.receipts import mail_already_sent, record_mail_sent
from core.messaging.recipients import report_context, staff_mail_recipient
from core.routing.referrals import referral
from core.staff.actors import ROLE_NAMES
from i18n import N_, gettext
from scheduler.report_links import Paragraph, report_links

RECEIPT = "submitted"


class MailLinks:
    """Where the links of one mail lead."""

    def __init__(
        self,
        *,
        public_url: str,
        code: str,
        unsubscribe: str,
        confirm: str | None,
        about_report: list[Paragraph] | None = None,
    ):
        self.track = f"{public_url}/lacak/{code}"
        # One-time links about the report (scheduler/report_links.py), after the tracking link.
        self.about_report = about_report or []
        self.unsubscribe = f"{public_url}/surel/berhenti/{unsubscribe}"
        self.confirm = f"{public_url}/surel/konfirmasi/{confirm}" if confirm else None


def _receipt_text(payload: dict[str, Any], context: ReportContext, language: str) -> str:
    code = context.tracking_code
    due = payload.get("due_at")
    deadline = when(datetime.fromisoformat(due), language) if due else "-"
    if context.department_name:
        return gettext(
            language,
            "Laporan %(code)s diterima dan diteruskan ke %(department)s. Tanggapan pertama "
            "paling lambat %(due)s.",
            code=code,
            department=context.department_name,
            due=deadline,
        )
    authority = referral(context.suggested_referral)
    if authority is not None:  # waits in triage, likely an outside authority's
        return gettext(
            language,
            "Laporan %(code)s diterima. %(referral)s",
            code=code,
            referral=suggested_referral_text(authority, language, due=deadline),
        )
    return gettext(
        language,
        "Laporan %(code)s diterima. Petugas verifikasi meneruskannya ke dinas yang berwenang "
        "paling lambat %(due)s.",
        code=code,
        due=deadline,
    )


def compose(
    *,
    delivery: Delivery,
    citizen: MailCitizen,
    context: ReportContext,
    links: MailLinks,
    sender: str,
    short_names: dict[str, str],
) -> EmailMessage:
    """The mail for one outbox message: plain text and the same in simple HTML."""
    language = citizen.language
    code = context.tracking_code
    if delivery.template == RECEIPT:
        subject = gettext(language, "[%(code)s] Laporan Anda diterima", code=code)
        notice = _receipt_text(delivery.payload, context, language)
    else:
        subject = gettext(language, "[%(code)s] Kabar laporan Anda", code=code)
        notice = citizen_message(
            delivery.template, delivery.payload, context, language, short_names=short_names
        )
    paragraphs: list[tuple[str, str | None]] = [
        (notice, None),
        (gettext(language, "Lacak laporan Anda:"), links.track),
        *links.about_report,
    ]
    if links.confirm:
        paragraphs.append(
            (
                gettext(
                    language,
                    "Konfirmasi alamat surel ini agar Anda menerima kabar setiap perubahan "
                    "laporan (tautan berlaku 7 hari):",
                ),
                links.confirm,
            )
        )
    paragraphs.append((gettext(language, "Berhenti menerima surel dari kami:"), links.unsubscribe))
    message = _mail(
        sender=sender, to=citizen.email, subject=subject, paragraphs=paragraphs, language=language
    )
    message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
    return message


def _mail(
    *,
    sender: str,
    to: str,
    subject: str,
    paragraphs: list[tuple[str, str | None]],
    language: str,
) -> EmailMessage:
    """A mail of paragraphs, each a text and maybe a link: as plain text and in simple HTML."""
    plain = "\n\n".join(text if url is None else f"{text}\n{url}" for text, url in paragraphs)
    html = "".join(
        f"<p>{escape(text)}".replace("\n", "<br>")
        + (f'<br><a href="{escape(url)}">{escape(url)}</a>' if url else "")
        + "</p>"
        for text, url in paragraphs
    )
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="ingatkan")
    message.set_content(plain)
    message.add_alternative(f'<html lang="{language}"><body>{html}</body></html>', subtype="html")
    return message


# The subject of each staff mail (Indonesian, as every staff notice): a report's tracking code
# or the policy under review; templates not named here take "other".
STAFF_SUBJECTS: dict[str, str] = {
    "submitted": N_("[%(code)s] Laporan baru untuk %(department)s"),
    "routed": N_("[%(code)s] Laporan diteruskan ke %(department)s"),
    "rerouted": N_("[%(code)s] Laporan dialihkan ke %(department)s"),
    "emergency": N_("[%(code)s] MENDESAK: laporan perlu ditangani segera"),
    "urgent_unanswered": N_("[%(code)s] MENDESAK: laporan belum ditangani siapa pun"),
    "reopened": N_("[%(code)s] Laporan dibuka kembali oleh warga"),
    "reminder": N_("[%(code)s] Pengingat tenggat laporan"),
    "overdue": N_("[%(code)s] Laporan melewati tenggat"),
    "escalated": N_("[%(code)s] Laporan dilaporkan ke pimpinan"),
    "other": N_("[%(code)s] Kabar laporan"),
    "digest": N_("Ringkasan harian laporan %(day)s"),
    "policy_review_opened": N_("Tinjauan kebijakan «%(policy)s» dibuka"),
    "policy_review_reminder": N_("Pengingat tenggat tinjauan kebijakan «%(policy)s»"),
    "policy_review_overdue": N_("Tinjauan kebijakan «%(policy)s» melewati tenggat"),
    "policy_review_escalated": N_("Tinjauan kebijakan «%(policy)s» dilaporkan ke pimpinan"),
}
CONFIDENTIAL_TEXT = N_("(Laporan rahasia: isinya hanya dibaca di halaman laporan.)")


def _staff_link(delivery: Delivery, public_url: str) -> tuple[str, str]:
    """Where the staff member acts on the notice, and what the link is called."""
    payload = delivery.payload
    if payload.get("review_id"):
        return gettext("id", "Buka tinjauan kebijakan:"), (
            f"{public_url}/policies/reviews/{payload['review_id']}"
        )
    if payload.get("tracking_code"):
        return gettext("id", "Buka laporan:"), (
            f"{public_url}/officer/reports/{payload['tracking_code']}"
        )
    return gettext("id", "Buka antrean laporan:"), f"{public_url}/officer/"


def compose_staff(
    *,
    delivery: Delivery,
    recipient: StaffMailRecipient,
    context: ReportContext,
    public_url: str,
    sender: str,
) -> EmailMessage:
    """The mail of a staff notice: the Telegram notice's text, a subject naming the report or
    the policy review, and a link to the staff page."""
    if context.confidential:
        context = msgspec.structs.replace(context, text=gettext("id", CONFIDENTIAL_TEXT))
    payload = delivery.payload
    template = delivery.template if delivery.template in STAFF_SUBJECTS else "other"
    subject = gettext(
        "id",
        STAFF_SUBJECTS[template],
        code=payload.get("tracking_code", ""),
        department=payload.get("department_name") or context.department_name or "-",
        policy=payload.get("policy_title") or payload.get("policy_code", ""),
        day=day(date.fromisoformat(payload["date"]), "id") if payload.get("date") else "",
    )
    label, url = _staff_link(delivery, public_url)
    paragraphs: list[tuple[str, str | None]] = [
        (staff_message(delivery.template, payload, context, public_url=None), None),
        (label, url),
        (
            gettext(
                "id",
                "Surel ini dikirim ke akun %(role)s Anda karena akun itu belum menautkan "
                "Telegram. Tautkan Telegram di halaman Akun saya, atau minta admin mengubah "
                "alamat ini:",
                role=gettext("id", ROLE_NAMES.get(recipient.role, recipient.role)),
            ),
            f"{public_url}/akun",
        ),
    ]
    return _mail(
        sender=sender, to=recipient.email, subject=subject, paragraphs=paragraphs, language="id"
    )


async def send(server: SmtpServer, message: EmailMessage) -> None:
    """Hand `message` to the server, its refusals named as the outbox's outcomes."""
    try:
        await aiosmtplib.send(
            message,
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.security == "tls",
            start_tls=server.security == "starttls",
            timeout=CHANNEL_TIMEOUT.total_seconds(),
        )
    except aiosmtplib.SMTPRecipientsRefused as refused:
        codes = [recipient.code for recipient in refused.recipients]
        if all(code >= 500 for code in codes):
            raise PermanentFailure(f"SMTP refused the recipient: {codes}") from refused
        raise RetryLater(0, f"SMTP deferred the recipient: {codes}") from refused
    except aiosmtplib.SMTPResponseException as answer:
        if answer.code >= 500:
            raise PermanentFailure(f"SMTP refused: {answer.code}") from answer
        raise RetryLater(0, f"SMTP deferred: {answer.code}") from answer
    except (aiosmtplib.SMTPException, OSError) as trouble:  # refused, timed out, dropped
        raise RetryLater(0, f"SMTP unavailable: {type(trouble).__name__}") from trouble


class MailDelivery:
    def __init__(self, settings: Settings, server: SmtpServer) -> None:
        self.server = server
        self.settings = settings
        self.sender = settings.mail_from
        self.public_url = settings.public_url

    async def deliver(self, delivery: Delivery) -> None:
        citizen = await mail_citizen(delivery.citizen_id)
        if citizen is None:
            raise Unreachable("the citizen left no email address")
        if citizen.unsubscribed:
            raise Unreachable("the citizen unsubscribed")
        if delivery.template != RECEIPT and not citizen.confirmed:
            raise Unreachable("the address is not confirmed")
        if await mail_already_sent(delivery.id):
            return  # sent by an attempt whose outcome was not recorded
        context = await report_context(delivery.report_id)
        links = MailLinks(
            public_url=self.public_url,
            code=context.tracking_code,
            unsubscribe=await new_link_token(citizen_id=citizen.id, purpose=UNSUBSCRIBE),
            confirm=await new_link_token(citizen_id=citizen.id, purpose=CONFIRM)
            if delivery.template == RECEIPT and not citizen.confirmed
            else None,
            about_report=await report_links(
                self.settings,
                delivery=delivery,
                citizen=citizen,
                receipt=delivery.template == RECEIPT,
            ),
        )
        message = compose(
            delivery=delivery,
            citizen=citizen,
            context=context,
            links=links,
            sender=self.sender,
            short_names=await short_names(),
        )
        await send(self.server, message)
        await record_mail_sent(outbox_id=delivery.id, message_id=message["Message-ID"])

    async def to_staff(self, delivery: Delivery) -> None:
        recipient = await staff_mail_recipient(
            user_id=int(delivery.payload.get("user", 0)),
            channel=str(delivery.payload.get("staff_channel", "")),
            department_id=delivery.department_id,
        )
        if recipient is None:
            raise Unreachable("the staff member no longer hears this by mail")
        if await mail_already_sent(delivery.id):
            return  # sent by an attempt whose outcome was not recorded
        message = compose_staff(
            delivery=delivery,
            recipient=recipient,
            context=await report_context(delivery.report_id),
            public_url=self.public_url,
            sender=self.sender,
        )
        await send(self.server, message)
        await record_mail_sent(outbox_id=delivery.id, message_id=message["Message-ID"])


@asynccontextmanager
async def mail_deliverers(settings: Settings) -> AsyncIterator[dict[str, Deliverer]]:
    """The mail deliverers (citizens' and staff's) for the scheduler; none when no SMTP server
    is configured, and the mail waits in the outbox."""
    if settings.smtp is None:
        yield {}
        return
    delivery = MailDelivery(settings, settings.smtp)
    yield {"email": delivery.deliver, STAFF_EMAIL: delivery.to_staff}
