"""The messaging package's records: a claimed outbox message, who it reaches, and what it may
mention, as the deliverers (scheduler/, bot/) read them."""

from __future__ import annotations

from typing import Any

import msgspec


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    """A claimed message, handed to its channel's Deliverer."""

    id: int
    channel: str
    template: str
    payload: dict[str, Any]  # the template's own JSON data, open by design
    report_id: int | None
    citizen_id: int | None
    department_id: int | None
    attempts: int


class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    """A Telegram chat a message goes to, for the bot's deliverer."""

    # "c<citizen id>" or "u<user id>": names the person without their Telegram id.
    key: str
    chat_id: int
    language: str


class StaffMailRecipient(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member a notice is mailed to (core/staff/notices.py), for the mail deliverer."""

    user_id: int
    email: str
    full_name: str
    role: str


class ReportContext(msgspec.Struct, frozen=True, kw_only=True):
    """What a message about a report may mention beyond its payload."""

    tracking_code: str = ""
    text: str = ""
    department_name: str | None = None
    photo_file_ids: list[str] = []
    # Whether the report is confidential: a mail, which leaves the system, then leaves its
    # text out (core/reports/disclosure.py).
    confidential: bool = False
    # The outside authority (a code of core.routing.referrals) the classifier suggested and
    # the one a staff member referred the report to: the messages name it with its contact.
    suggested_referral: str | None = None
    referred_to: str | None = None
    # Where the problem is, as staff read it: the address, the kecamatan, the map point.
    place: str | None = None


class OutboxFigures(msgspec.Struct, frozen=True, kw_only=True):
    """What /metrics shows of the outbox (core.messaging.outbox.figures)."""

    messages: dict[tuple[str, str], int]  # (channel, status) -> count
    lag_seconds: float  # age of the oldest message waiting; 0 when none waits
