"""The integrations package's records: API keys, department webhooks and their delivery
log, the body a department's system receives, and what it may do on the way back in."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

# -- API keys ----------------------------------------------------------------------------


class ApiKeyView(msgspec.Struct, frozen=True, kw_only=True):
    """An API key as admins list it: its name and shown prefix, never the key itself."""

    id: int
    name: str
    prefix: str
    active: bool
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyHolder(msgspec.Struct, frozen=True, kw_only=True):
    """The system an accepted API key belongs to, as Open311 records it on a report."""

    id: int
    name: str


# -- webhooks ----------------------------------------------------------------------------


class WebhookView(msgspec.Struct, frozen=True, kw_only=True):
    """A department's webhook as admins list it, without its secret."""

    id: int
    url: str
    active: bool
    created_at: datetime
    department_code: str


class RegisteredWebhook(WebhookView, frozen=True, kw_only=True):
    """A webhook just registered, with its secret: shown this once to the admin."""

    secret: str


class WebhookTarget(msgspec.Struct, frozen=True, kw_only=True):
    """Where and with which secret the deliverer sends to an active webhook."""

    url: str
    secret: str


class WebhookAttemptView(msgspec.Struct, frozen=True, kw_only=True):
    """One attempt to deliver a message to a webhook, in the admins' delivery log."""

    message_id: int
    delivery_id: str  # the X-Ingatkan-Delivery the receiver saw, the same on every retry
    event: str
    tracking_code: str | None
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: datetime
    message_status: str  # pending | sending | sent | failed | skipped


class WebhookLocation(msgspec.Struct, frozen=True, kw_only=True):
    """Where a report is, in a webhook body."""

    lat: float
    lon: float


class WebhookReport(msgspec.Struct, frozen=True, kw_only=True):
    """The report in a webhook body: never the reporter's identity."""

    tracking_code: str
    status: str
    urgent: bool
    confidential: bool
    text: str
    address: str | None
    location: WebhookLocation | None
    created_at: str | None  # ISO 8601 as Python writes it, so the signed bytes stay put
    due_at: str | None


class WebhookBody(msgspec.Struct, frozen=True, kw_only=True):
    """What a department's system receives for one event, signed as sent."""

    event: str
    occurred_at: str | None
    department: str
    note: str | None
    detail: dict[str, Any]  # the event's own figures (an escalation step's level, deadline)
    report: WebhookReport


class WebhookPayload(msgspec.Struct, frozen=True, kw_only=True):
    """A webhook message in the outbox: which webhook, the delivery id kept across retries,
    and the body."""

    webhook_id: int
    delivery_id: str
    body: WebhookBody


# -- the way back in ---------------------------------------------------------------------

InboundAction = Literal["acknowledge", "respond", "resolve"]


class SigningDepartment(msgspec.Struct, frozen=True, kw_only=True):
    """The department whose system signed an inbound request."""

    id: int
    code: str


class InboundResult(msgspec.Struct, frozen=True, kw_only=True):
    """What an inbound action did: the report's status, and whether it was a replay."""

    tracking_code: str
    status: str
    duplicate: bool
