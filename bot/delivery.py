"""Telegram delivery of the outbox: the deliverers scheduler/delivery.py calls.

A deliverer sends one outbox message and maps Telegram's answer onto the outbox's outcomes:
flood control (429) and network trouble or 5xx -> RetryLater (with Telegram's retry_after
when given); a blocked bot, a chat that is gone, a message Telegram refuses -> PermanentFailure;
nobody on Telegram to send to -> Unreachable. Each part sent is receipted
(core/messaging/receipts.py), so a retry after a partial success sends only what is missing.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot import keyboards
from bot.runtime import make_bot
from bot.texts import (
    NOTES,
    NOTICES,
    STAFF,
    day,
    decision_label,
    event_label,
    introduced,
    short_names,
    status_label,
    when,
)
from config.settings import Settings
from core.messaging.models import Delivery, Recipient, ReportContext
from core.messaging.outbox import Deliverer, PermanentFailure, RetryLater, Unreachable
from core.messaging.receipts import already_sent, record_sent
from core.messaging.recipients import (
    STAFF_CHANNELS,
    citizen_recipient,
    report_context,
    staff_recipients,
)
from core.routing.referrals import how_to_reach, referral
from i18n import gettext

logger = logging.getLogger("ingatkan.delivery")

# A staff message quotes the report; Telegram allows 4096 characters in all. An alert of an
# urgent report quotes it short, to be read at a glance.
_STAFF_TEXT = 3000
_ALERT_TEXT = 200
# Templates whose staff message also shows the report's photos.
_WITH_PHOTOS = frozenset({"submitted", "routed", "rerouted", "emergency"})
# The alerts that must be acted on at once: their text ends with the report's staff page.
_WITH_LINK = frozenset({"emergency", "urgent_unanswered"})
# How each citizen template shows the officer's note.
_NOTE_STYLE = {"rejected": "reason", "referred": "where_to_go"}
# The notices that send a report to a department name it in full; the others by its short name.
_INTRODUCING = frozenset({"routed", "rerouted"})


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _due(payload: dict[str, Any], language: str) -> str:
    raw = payload.get("due_at")
    return when(datetime.fromisoformat(raw), language) if raw else "-"


class TelegramDelivery:
    def __init__(self, bot: Bot, *, public_url: str) -> None:
        self.bot = bot
        self.public_url = public_url

    def deliverers(self) -> dict[str, Deliverer]:
        """The citizen channel and every staff channel of the outbox."""
        staff = {channel: partial(self.to_staff, channel) for channel in STAFF_CHANNELS}
        return {"citizen": self.to_citizen, **staff}

    async def to_citizen(self, delivery: Delivery) -> None:
        recipient = await citizen_recipient(delivery.citizen_id)
        if recipient is None:
            raise Unreachable("the citizen has no Telegram chat")
        if delivery.template == "submitted":
            # The conversation already answered with the tracking code and the deadline.
            raise Unreachable("confirmed in the conversation")
        context = await report_context(delivery.report_id)
        text = citizen_message(
            delivery.template,
            delivery.payload,
            context,
            recipient.language,
            short_names=await short_names(),
        )
        markup = None
        if delivery.template == "resolved" and delivery.payload.get("tracking_code"):
            markup = keyboards.rate_or_reopen(delivery.payload["tracking_code"], recipient.language)
        await self._send_text(delivery, recipient, text, markup)

    async def to_staff(self, channel: str, delivery: Delivery) -> None:
        recipients = await staff_recipients(channel=channel, department_id=delivery.department_id)
        if not recipients:
            raise Unreachable(f"no {channel} staff with a Telegram chat")
        context = await report_context(delivery.report_id)
        text = staff_message(
            delivery.template, delivery.payload, context, public_url=self.public_url
        )
        photos = context.photo_file_ids if delivery.template in _WITH_PHOTOS else []
        refused = []
        for recipient in recipients:
            try:
                await self._send_text(delivery, recipient, text, None)
                for number, file_id in enumerate(photos, start=1):
                    await self._send_once(
                        f"{delivery.id}:{recipient.key}:p{number}",
                        delivery,
                        partial(self.bot.send_photo, recipient.chat_id, file_id),
                    )
            except PermanentFailure as error:
                # One officer who blocked the bot must not keep the others from hearing.
                logger.warning(
                    "outbox %s: staff %s unreachable: %s", delivery.id, recipient.key, error
                )
                refused.append(error)
        if len(refused) == len(recipients):
            raise PermanentFailure(f"every {channel} recipient refused: {refused[0]}")

    async def _send_text(
        self,
        delivery: Delivery,
        recipient: Recipient,
        text: str,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        await self._send_once(
            f"{delivery.id}:{recipient.key}",
            delivery,
            lambda: self.bot.send_message(recipient.chat_id, text, reply_markup=markup),
        )

    async def _send_once(
        self, key: str, delivery: Delivery, send: Callable[[], Awaitable[Message]]
    ) -> None:
        if await already_sent(key):
            return
        try:
            message = await send()
        except RetryAfter as error:
            raise RetryLater(_retry_seconds(error), "Telegram flood control") from error
        except (Forbidden, ChatMigrated) as error:
            raise PermanentFailure(f"Telegram refused: {error.message}") from error
        except BadRequest as error:  # chat not found, message rejected: retrying cannot help
            raise PermanentFailure(f"Telegram rejected the message: {error.message}") from error
        except TelegramError as error:  # network trouble, 5xx, timeouts: the outbox backs off
            raise RetryLater(0, f"Telegram unavailable: {error.message}") from error
        await record_sent(key=key, outbox_id=delivery.id, telegram_message_id=message.message_id)


def citizen_message(
    template: str,
    payload: dict[str, Any],
    context: ReportContext,
    language: str,
    *,
    short_names: dict[str, str],
) -> str:
    authority = referral(context.referred_to) if template == "referred" else None
    if authority is not None:
        return gettext(
            language,
            NOTICES["referred_to"],
            code=payload.get("tracking_code", ""),
            authority=authority.short_name,
            contact=how_to_reach(authority, language),
        )
    note = payload.get("note")
    note_text = (
        gettext(language, NOTES[_NOTE_STYLE.get(template, "note")], note=note) if note else ""
    )
    name = payload.get("department_name") or context.department_name
    if name is None:
        department = gettext(language, "dinas terkait")
    elif template in _INTRODUCING:
        department = introduced(name, short_names)
    else:
        department = short_names.get(name, name)
    values = {
        "code": payload.get("tracking_code", ""),
        "department": department,
        "due": _due(payload, language),
        "note": note_text,
        "status": status_label(payload.get("status", ""), language),
        # The case a merged report joined (core/reports/merging.py).
        "case": payload.get("case_code") or "",
    }
    if template == "policy_decision":
        values["policy"] = payload.get("policy_title") or payload.get("policy_code", "")
        values["decision"] = decision_label(payload.get("decision", ""), language)
        changes, changes_from = payload.get("changes"), payload.get("changes_from")
        values["changes"] = (
            gettext(
                language,
                "\n\nYang berubah, berlaku mulai %(day)s:\n%(changes)s",
                changes=changes,
                day=day(date.fromisoformat(changes_from), language),
            )
            if changes and changes_from
            else ""
        )
    return gettext(language, NOTICES.get(template, NOTICES["other"]), **values)


def staff_message(
    template: str, payload: dict[str, Any], context: ReportContext, *, public_url: str | None
) -> str:
    """The staff notice's text. The alerts that must be acted on at once end with the link to
    the report's staff page; a mail passes no `public_url`, as it has its own link paragraph
    (scheduler/mail.py), so the link is shown once."""
    text = context.text
    if len(text) > _STAFF_TEXT:
        text = text[:_STAFF_TEXT] + "…"
    note = payload.get("note")
    code = payload.get("tracking_code", "")
    short = context.text if len(context.text) <= _ALERT_TEXT else context.text[:_ALERT_TEXT] + "…"
    values = {
        "code": code,
        "short": short,
        "place": context.place or gettext("id", "tidak disebutkan"),
        "department": payload.get("department_name") or context.department_name or "-",
        "due": _due(payload, "id"),
        "text": text,
        "note": gettext("id", "\n\n«%(note)s»", note=note) if note else "",
        "event": event_label(payload.get("event", template), "id"),
        "status": status_label(payload.get("status", ""), "id"),
        # Policy reviews' messages name the policy and the citizens who objected.
        "policy": payload.get("policy_title") or payload.get("policy_code", ""),
        "objectors": payload.get("objectors", ""),
        # The daily digest's figures (core/messaging/scheduled.py).
        "day": day(date.fromisoformat(payload["date"]), "id") if payload.get("date") else "-",
        "waiting": payload.get("waiting", 0),
        "overdue": payload.get("overdue", 0),
        "due_today": payload.get("due_today", 0),
    }
    message = gettext("id", STAFF.get(template, STAFF["other"]), **values)
    if public_url is not None and template in _WITH_LINK:
        label = gettext("id", "Buka laporan:")
        message += f"\n\n{label} {public_url}/officer/reports/{code}"
    return message


@asynccontextmanager
async def telegram_deliverers(settings: Settings) -> AsyncIterator[dict[str, Deliverer]]:
    """The deliverers for the scheduler; none when no bot token is configured."""
    if not settings.telegram_bot_token:
        yield {}
        return
    async with make_bot(settings) as bot:
        yield TelegramDelivery(bot, public_url=settings.public_url).deliverers()
