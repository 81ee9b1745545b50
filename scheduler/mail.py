"""Mail delivery of the outbox: the `email` channel, through the city's SMTP server.

Each mail has a plain-text and a simple HTML part in the citizen's language, the tracking code
in the subject, a link to the report's public page and an unsubscribe link; the receipt of a
report (template `submitted`) goes to any address not unsubscribed and, while the address is
unconfirmed, carries the confirmation link; every other mail goes to confirmed addresses only
(core/citizens/mail.py). The server's answer maps onto the outbox's outcomes: 5xx ->
PermanentFailure, 4xx or no connection -> RetryLater. A receipt per outbox message
(core/messaging/receipts.py) keeps a retry from mailing twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import Any

import aiosmtplib

from bot.delivery import citizen_message
from bot.texts import short_names, when
from config.settings import Settings, SmtpServer
from core.citizens.mail import CONFIRM, UNSUBSCRIBE, mail_citizen, new_link_token
from core.citizens.models import MailCitizen
from core.messaging.models import Delivery, ReportContext
from core.messaging.outbox import (
    CHANNEL_TIMEOUT,
    Deliverer,
    PermanentFailure,
    RetryLater,
    Unreachable,
)
from core.messaging.receipts import mail_already_sent, record_mail_sent
from core.messaging.recipients import report_context
from i18n import gettext
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
    code = payload.get("tracking_code", "")
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
    code = delivery.payload.get("tracking_code", "")
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
    plain = "\n\n".join(text if url is None else f"{text}\n{url}" for text, url in paragraphs)
    html = "".join(
        f"<p>{escape(text)}".replace("\n", "<br>")
        + (f'<br><a href="{escape(url)}">{escape(url)}</a>' if url else "")
        + "</p>"
        for text, url in paragraphs
    )
    message = EmailMessage()
    message["From"] = sender
    message["To"] = citizen.email
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="ingatkan")
    message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
    message.set_content(plain)
    message.add_alternative(f'<html lang="{language}"><body>{html}</body></html>', subtype="html")
    return message


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
        links = MailLinks(
            public_url=self.public_url,
            code=delivery.payload.get("tracking_code", ""),
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
            context=await report_context(delivery.report_id),
            links=links,
            sender=self.sender,
            short_names=await short_names(),
        )
        await send(self.server, message)
        await record_mail_sent(outbox_id=delivery.id, message_id=message["Message-ID"])


@asynccontextmanager
async def mail_deliverers(settings: Settings) -> AsyncIterator[dict[str, Deliverer]]:
    """The mail deliverer for the scheduler; none when no SMTP server is configured."""
    if settings.smtp is None:
        yield {}
        return
    yield {"email": MailDelivery(settings, settings.smtp).deliver}
