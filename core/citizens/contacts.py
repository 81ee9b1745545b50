"""One citizen per contact: a sender on the web page, the JSON API or Open311 who gives the
same email address, or else the same phone number, is the same citizen, so the limits on
reports and blocking (core/citizens/limits.py) reach them as they reach a Telegram account.

Contacts are compared, and stored, in one form: an email address trimmed and lower-cased, a
phone number as +62… (0812…, 62812…, +62 812-… and 812… are one Indonesian number). The
email is matched first, then the phone; unique indexes on both (db/migrations) keep two
simultaneous first reports from making two citizens: the loser's insert does nothing and it
reads the winner's row.

Such a contact is not verified until its owner follows the confirmation link of their first
mail (core/citizens/mail.py): it separates senders for limits and blocking, but counts as an
objector (core/policies/pressure.py) only once confirmed. An anonymous report's contact is
kept like any other, for the city only (core/reports/disclosure.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core import clock
from db.tables import Citizen, Report

_NOT_DIGITS = re.compile(r"\D")
# What verified_identity() reads of a report, joined from its citizen.
IDENTITY_COLUMNS = (
    Report.citizen,
    Report.citizen.telegram_chat_id.as_alias("telegram_chat_id"),
    Report.citizen.email_confirmed_at.as_alias("email_confirmed_at"),
)


def verified_identity(row: Mapping[str, Any]) -> str | None:
    """The verified person behind a report (a row with IDENTITY_COLUMNS), as a key that tells
    people apart; None when the platform has verified nobody (a contact typed into a form
    proves nothing): a Telegram account, or a confirmed email address."""
    if row["citizen"] is not None and (
        row["telegram_chat_id"] is not None or row["email_confirmed_at"] is not None
    ):
        return f"c{row['citizen']}"
    return None


def normalize_email(raw: str | None) -> str | None:
    email = (raw or "").strip().lower()
    return email or None


def normalize_phone(raw: str | None) -> str | None:
    digits = _NOT_DIGITS.sub("", raw or "")
    if not digits:
        return None
    if (raw or "").strip().startswith("+"):
        return "+" + digits
    if digits.startswith("00"):  # the international prefix dialled from Indonesia
        return "+" + digits[2:]
    if digits.startswith("62"):
        return "+" + digits
    # 0812… is dialled inside Indonesia; 812… leaves out the trunk 0.
    return "+62" + digits.removeprefix("0")


async def _matching(email: str | None, phone: str | None) -> int | None:
    for column, value in ((Citizen.email, email), (Citizen.phone, phone)):
        if value is not None:
            row = await Citizen.select(Citizen.id).where(column == value).first()
            if row is not None:
                found: int = row["id"]
                return found
    return None


async def contact_citizen(
    *, channel: str, name: str | None, email: str | None, phone: str | None
) -> int | None:
    """The citizen with this email address or phone number, created on first contact; None
    without either (a name alone tells nobody apart)."""
    email, phone = normalize_email(email), normalize_phone(phone)
    if email is None and phone is None:
        return None
    found = await _matching(email, phone)
    if found is None:
        # Another report with the same contact may create the row first: then use that one.
        await Citizen.insert(
            Citizen(channel=channel, name=name, email=email, phone=phone, created_at=clock.now())
        ).on_conflict(action="DO NOTHING")
        found = await _matching(email, phone)
    return found
