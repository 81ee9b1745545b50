"""The citizens package's records: a Telegram citizen, what the bot tells them before they
send, and their own reports as the bot lists them."""

from __future__ import annotations

from datetime import datetime

import msgspec


class TelegramCitizen(msgspec.Struct, frozen=True, kw_only=True):
    """The citizen behind a private Telegram chat, as the bot's conversation carries them."""

    id: int
    language: str
    blocked: bool


class RoutingPreview(msgspec.Struct, frozen=True, kw_only=True):
    """Where a report will go, shown to the citizen before they send it."""

    department_code: str | None  # None: a verifier will route it
    department_name: str | None
    urgent: bool


class OwnReport(msgspec.Struct, frozen=True, kw_only=True):
    """One of a citizen's latest reports, for their list in the bot."""

    tracking_code: str
    status: str
    text: str
    created_at: datetime
    due_at: datetime | None
    department_short_name: str | None


class OwnReportStatus(msgspec.Struct, frozen=True, kw_only=True):
    """A report the citizen sent, by its code: enough to check it may be reopened."""

    tracking_code: str
    status: str


class MailCitizen(msgspec.Struct, frozen=True, kw_only=True):
    """A citizen's email address and how they want it used, for the mail deliverer."""

    id: int
    email: str
    language: str
    confirmed: bool
    unsubscribed: bool
