"""Department webhooks: every event on a department's reports, POSTed to its own system.

Outbound: an admin registers a URL and a shared secret per department. Each event (intake,
every lifecycle transition, every escalation step) queues one outbox message per active
webhook of the report's department, in the transaction of the event itself, so an event is
never lost and never sent for a change that did not happen. scheduler/webhooks.py delivers
them: the JSON body signed with HMAC-SHA256 of the secret (`X-Ingatkan-Signature:
sha256=<hex>` over the raw body), with a delivery id (`X-Ingatkan-Delivery`) that stays the
same across retries, so a receiver that answered but whose answer was lost can tell a retry
from a new event. Every attempt is kept in WebhookAttempt: the delivery log admins read.

The way back in, where a department's system acts on a report, is core.integrations.inbound.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec

from core import clock
from core.catalogue.cached import cached, changed
from core.catalogue.departments import by_id
from core.errors import InvalidInput, NotFound
from core.input_rules import bad_web_address, web_address
from core.integrations import targets
from core.integrations.models import (
    RegisteredWebhook,
    WebhookAttemptView,
    WebhookBody,
    WebhookLocation,
    WebhookPayload,
    WebhookReport,
    WebhookTarget,
    WebhookView,
)
from core.messaging import outbox
from core.staff.actors import Actor
from core.staff.permissions import require_admin
from db.engine import write_transaction
from db.tables import Department, DepartmentWebhook, Report, WebhookAttempt
from i18n import N_

CHANNEL = "webhook"
SIGNATURE_HEADER = "X-Ingatkan-Signature"
DELIVERY_HEADER = "X-Ingatkan-Delivery"
EVENT_HEADER = "X-Ingatkan-Event"
MIN_SECRET = 16
MAX_SECRET = 128
LOG_LIMIT = 200
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


# -- signatures ----------------------------------------------------------------------------


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(sign(secret, body), (header or "").strip())


def encode(body: WebhookBody) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(msgspec.to_builtins(body), ensure_ascii=False, separators=(",", ":")).encode()


# -- registration --------------------------------------------------------------------------


async def checked_url(value: str, *, allowed_hosts: Collection[str]) -> str:
    """The one rule for a webhook's URL: a web address (core.input_rules) whose target
    core.integrations.targets allows (unless listed, a public address)."""
    cleaned = web_address(value, field="url")
    if cleaned is None:
        raise bad_web_address("url")
    parts = urlsplit(cleaned)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port that is not a number, or out of range
        raise bad_web_address("url") from None
    assert parts.hostname is not None  # web_address accepts no address without a host
    try:
        await targets.checked_addresses(parts.hostname, port, allowed_hosts)
    except targets.TargetRefused:
        raise InvalidInput(
            N_(
                "URL tidak boleh menuju alamat internal (loopback, jaringan privat, link-local, "
                "multicast atau cadangan); host di jaringan kota harus diizinkan operator lewat "
                "INGATKAN_WEBHOOK_ALLOWED_HOSTS."
            ),
            field="url",
        ) from None
    except OSError:
        # A name that does not resolve yet (the department's system is still being set
        # up) is kept: every delivery checks its addresses again before connecting.
        pass
    return cleaned


def _secret(value: str | None) -> str:
    if value is None or not value.strip():
        return secrets.token_urlsafe(32)
    cleaned = value.strip()
    if not MIN_SECRET <= len(cleaned) <= MAX_SECRET or not _PRINTABLE.match(cleaned):
        raise InvalidInput(
            N_("Rahasia %(min_secret)s–%(max_secret)s karakter tanpa spasi."),
            min_secret=MIN_SECRET,
            max_secret=MAX_SECRET,
            field="secret",
        )
    return cleaned


_LIST_COLUMNS = (
    DepartmentWebhook.id,
    DepartmentWebhook.url,
    DepartmentWebhook.active,
    DepartmentWebhook.created_at,
    DepartmentWebhook.department.code.as_alias("department_code"),
)


async def register_webhook(
    *,
    department_code: str,
    url: str,
    allowed_hosts: Collection[str],
    secret: str | None = None,
    actor: Actor,
) -> RegisteredWebhook:
    """A new webhook; without a secret one is drawn. The record returned carries the secret:
    show it once, to the admin who registered it. `allowed_hosts`: the operator's
    INGATKAN_WEBHOOK_ALLOWED_HOSTS."""
    require_admin(actor)
    department = (
        await Department.select(Department.id)
        .where(Department.code == department_code.strip().upper())
        .first()
    )
    if department is None:
        raise InvalidInput(N_("Perangkat daerah tidak dikenal."), field="department")
    cleaned_url = await checked_url(url, allowed_hosts=allowed_hosts)
    cleaned_secret = _secret(secret)
    async with write_transaction():
        rows = await DepartmentWebhook.insert(
            DepartmentWebhook(
                department=department["id"],
                url=cleaned_url,
                secret=cleaned_secret,
                active=True,
                created_at=clock.now(),
            )
        ).returning(DepartmentWebhook.id)
        await changed()
    webhook = await get_webhook(rows[0]["id"])
    return RegisteredWebhook(**msgspec.structs.asdict(webhook), secret=cleaned_secret)


async def get_webhook(webhook_id: int) -> WebhookView:
    row = (
        await DepartmentWebhook.select(*_LIST_COLUMNS)
        .where(DepartmentWebhook.id == webhook_id)
        .first()
    )
    if row is None:
        raise NotFound(N_("Webhook tidak ditemukan."), field="webhook")
    return msgspec.convert(row, WebhookView)


async def list_webhooks() -> list[WebhookView]:
    """Every webhook, without its secret."""
    rows = await DepartmentWebhook.select(*_LIST_COLUMNS).order_by(DepartmentWebhook.id)
    return msgspec.convert(rows, list[WebhookView])


async def set_webhook_active(*, webhook_id: int, active: bool, actor: Actor) -> WebhookView:
    """A deactivated webhook gets no new events; messages already queued for it are skipped."""
    require_admin(actor)
    async with write_transaction():
        await DepartmentWebhook.update({DepartmentWebhook.active: active}).where(
            DepartmentWebhook.id == webhook_id
        )
        await changed()
    return await get_webhook(webhook_id)


async def delivery_log(*, webhook_id: int, limit: int = 50) -> list[WebhookAttemptView]:
    """The latest attempts to deliver to a webhook, newest first, each with the delivery id
    the receiver saw."""
    await get_webhook(webhook_id)
    rows = (
        await WebhookAttempt.select(
            WebhookAttempt.attempt,
            WebhookAttempt.status_code,
            WebhookAttempt.error,
            WebhookAttempt.duration_ms,
            WebhookAttempt.created_at,
            WebhookAttempt.outbox.id.as_alias("message_id"),
            WebhookAttempt.outbox.template.as_alias("event"),
            WebhookAttempt.outbox.status.as_alias("message_status"),
            WebhookAttempt.outbox.payload.as_alias("payload"),
            # Piccolo types a join through two foreign keys as a plain Column.
            WebhookAttempt.outbox.report.tracking_code.as_alias("tracking_code"),  # type: ignore[union-attr]
        )
        .where(WebhookAttempt.webhook == webhook_id)
        .order_by(WebhookAttempt.id, ascending=False)
        .limit(max(1, min(limit, LOG_LIMIT)))
        .output(load_json=True)
    )
    return [
        msgspec.convert(
            {
                **{key: value for key, value in row.items() if key != "payload"},
                "delivery_id": row["payload"]["delivery_id"],
            },
            WebhookAttemptView,
        )
        for row in rows
    ]


# -- outbound events -----------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _body(
    *,
    event: str,
    occurred_at: Any,
    department_code: str,
    note: str | None,
    report: Mapping[str, Any],
    detail: Mapping[str, Any] | None = None,
) -> WebhookBody:
    """What a department's system receives. The reporter's identity is never in it."""
    latitude = report.get("latitude")
    return WebhookBody(
        event=event,
        occurred_at=_iso(occurred_at),
        department=department_code,
        note=note,
        detail=dict(detail or {}),
        report=WebhookReport(
            tracking_code=report["tracking_code"],
            status=report["status"],
            urgent=bool(report["urgent"]),
            confidential=bool(report["confidential"]),
            text=report["text"],
            address=report.get("address"),
            location=None
            if latitude is None
            else WebhookLocation(lat=latitude, lon=report["longitude"]),
            created_at=_iso(report["created_at"]),
            due_at=_iso(report["due_at"]),
        ),
    )


def _payload(*, webhook_id: int, body: WebhookBody) -> dict[str, Any]:
    """The outbox payload of one webhook message, as plain JSON data."""
    payload = WebhookPayload(webhook_id=webhook_id, delivery_id=uuid.uuid4().hex, body=body)
    data: dict[str, Any] = msgspec.to_builtins(payload)
    return data


async def _active_webhooks() -> dict[int, list[int]]:
    """Active webhook ids by department id, kept per process (core/catalogue/cached.py)."""

    async def load() -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for row in await DepartmentWebhook.select(
            DepartmentWebhook.id, DepartmentWebhook.department
        ).where(DepartmentWebhook.active == True):  # noqa: E712
            found.setdefault(row["department"], []).append(row["id"])
        return found

    return await cached("active webhooks", load)


async def enqueue_event(
    *, report: Mapping[str, Any], event_id: int, event: str, note: str | None
) -> None:
    """Queue `event` for every active webhook of the report's department. Called inside the
    event's own transaction (core.reports.lifecycle.notify)."""
    department_id = report["department"]
    if department_id is None:
        return
    hooks = (await _active_webhooks()).get(department_id)
    if not hooks:
        return
    body = _body(
        event=event,
        occurred_at=report["updated_at"],
        department_code=(await by_id())[department_id].code,
        note=note,
        report=report,
    )
    await outbox.enqueue(
        *(
            outbox.Message(
                dedupe_key=f"event:{event_id}:{CHANNEL}:{webhook_id}",
                channel=CHANNEL,
                template=event,
                report_id=report["id"],
                department_id=department_id,
                payload=_payload(webhook_id=webhook_id, body=body),
            )
            for webhook_id in hooks
        )
    )


_LADDER_COLUMNS = (
    Report.id,
    Report.tracking_code,
    Report.text,
    Report.status,
    Report.urgent,
    Report.confidential,
    Report.address,
    Report.latitude,
    Report.longitude,
    Report.created_at,
    Report.due_at,
)


async def ladder_messages(
    rows: Sequence[Mapping[str, Any]],
    *,
    steps: Mapping[int, str],
    moment: datetime,
) -> list[outbox.Message]:
    """Messages for the escalation steps just claimed in `rows` (a batch of
    core.service_levels.escalation), one per step and active webhook of the report's department."""
    hooks = await _active_webhooks()
    wanted = [row for row in rows if row["department"] in hooks]
    if not wanted:
        return []
    # The claim returns only what the ladder needs; the body wants the report's place too.
    reports = {
        row["id"]: row
        for row in await Report.select(*_LADDER_COLUMNS).where(
            Report.id.is_in([row["id"] for row in wanted])
        )
    }
    departments = await by_id()
    messages: list[outbox.Message] = []
    for row in wanted:
        step = steps[row["escalation_level"]]
        # The deadline that was missed, as the claim saw it (the report row has moved on).
        due = _iso(row["due_at"])
        body = _body(
            event=step,
            occurred_at=moment,
            department_code=departments[row["department"]].code,
            note=None,
            report={**reports[row["id"]], "status": row["status"], "due_at": row["due_at"]},
            detail={"level": row["escalation_level"], "deadline": due},
        )
        messages.extend(
            outbox.Message(
                dedupe_key=f"ladder:{row['id']}:{due}:{step}:{CHANNEL}:{webhook_id}",
                channel=CHANNEL,
                template=step,
                report_id=row["id"],
                department_id=row["department"],
                payload=_payload(webhook_id=webhook_id, body=body),
            )
            for webhook_id in hooks[row["department"]]
        )
    return messages


async def webhook_for_delivery(webhook_id: int) -> WebhookTarget | None:
    """URL and secret of an active webhook, for the deliverer; None once it is deactivated."""
    row = (
        await DepartmentWebhook.select(DepartmentWebhook.url, DepartmentWebhook.secret)
        .where(
            (DepartmentWebhook.id == webhook_id) & (DepartmentWebhook.active == True)  # noqa: E712
        )
        .first()
    )
    return None if row is None else WebhookTarget(**row)


async def record_attempt(
    *,
    webhook_id: int,
    message_id: int,
    attempt: int,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
) -> None:
    await WebhookAttempt.insert(
        WebhookAttempt(
            webhook=webhook_id,
            outbox=message_id,
            attempt=attempt,
            status_code=status_code,
            error=error[:1000] if error else None,
            duration_ms=duration_ms,
            created_at=clock.now(),
        )
    )
