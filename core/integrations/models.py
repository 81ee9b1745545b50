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


# -- Open311 GeoReport v2 ----------------------------------------------------------------
# Field order and names are the standard's: the doors write these records as they are, in
# JSON and in XML (api/open311/formats.py), and the official schemas check both.


class Open311Service(msgspec.Struct, frozen=True, kw_only=True):
    """One service type of services.json: a department, or the general service."""

    service_code: str
    service_name: str
    description: str
    metadata: bool  # every service has attributes (service_definition)
    type: Literal["realtime"]
    keywords: str | None
    group: str | None


class Open311AttributeValue(msgspec.Struct, frozen=True, kw_only=True):
    """One choice of a list attribute."""

    key: str
    name: str


class Open311Attribute(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One attribute of a service definition; only list attributes carry `values`."""

    variable: bool
    code: str
    datatype: Literal["string", "text", "singlevaluelist"]
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[Open311AttributeValue] | None = None


class Open311ServiceDefinition(msgspec.Struct, frozen=True, kw_only=True):
    """A service's definition: the attributes a client may send with a request."""

    service_code: str
    attributes: list[Open311Attribute]


class Open311Endpoint(msgspec.Struct, frozen=True, kw_only=True):
    """The one endpoint discovery lists."""

    specification: str
    url: str
    changeset: str
    type: Literal["production", "test"]
    formats: list[str]


class Open311Discovery(msgspec.Struct, frozen=True, kw_only=True):
    """discovery.json: who runs the endpoint, how to get a key, where it is."""

    changeset: str
    contact: str
    key_service: str
    endpoints: list[Open311Endpoint]


class Open311Submission(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of a POST requests, as strings from the form (None when absent)."""

    service_code: str | None = None
    description: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    address_id: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    media_url: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


class Open311Created(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The answer to a POST requests: the tracking code at once, and a token. No account_id:
    reporters have no accounts here (the standard's schema allows no null)."""

    service_request_id: str
    token: str
    service_notice: str | None = None  # left out when the city has nothing to announce


class Open311Query(msgspec.Struct, frozen=True, kw_only=True):
    """GET requests' filters, checked: several ids, or a window with status and service."""

    ids: tuple[str, ...] = ()
    service_code: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


class Open311ServiceRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A report as Open311 shows it: public data only, times as W3C date-times in the city's
    zone, an anonymous report's place coarse and without its address."""

    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str | None
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: None  # the city has no address register
    zipcode: None
    lat: float | None
    long: float | None
    media_url: str | None


class Open311Token(msgspec.Struct, frozen=True, kw_only=True):
    """The service request behind a token."""

    service_request_id: str
    token: str
