"""Department webhooks over HTTP: the admin's registration and delivery log, and the signed
endpoint where a department's system acts on a report. Rules live in core.integrations.webhooks and
core.integrations.inbound."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from litestar.types import BeforeRequestHookHandler
from msgspec import Meta

from api.guards import ADMIN_ROLES, SIGNED_IN, SignedInUser, allow
from api.hooks import require_json
from api.schemas import ErrorBody
from core.errors import InvalidInput
from core.integrations import inbound, webhooks
from core.integrations.models import (
    InboundAction,
    InboundResult,
    WebhookAttemptView,
    WebhookView,
)
from core.reports.lifecycle import NOTE_MAX
from i18n import N_


class WebhookIn(msgspec.Struct, forbid_unknown_fields=True):
    department: Annotated[str, Meta(max_length=40, description="Department code")]
    url: Annotated[str, Meta(max_length=500)]
    secret: (
        Annotated[
            str, Meta(max_length=128, description="Shared secret; drawn for you when left out")
        ]
        | None
    ) = None


class WebhookOut(msgspec.Struct):
    id: int
    department: str
    url: str
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str  # shown this once


class AttemptOut(msgspec.Struct):
    message_id: int
    delivery_id: str
    event: str
    tracking_code: str | None
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int
    at: datetime
    message_status: str  # pending | sending | sent | failed | skipped


class InboundIn(msgspec.Struct, forbid_unknown_fields=True):
    """`id`: the sender's own id for this request (a replay with the same id changes
    nothing); `note`: the answer, required to respond and resolve."""

    id: Annotated[str, Meta(min_length=1, max_length=inbound.REQUEST_ID_MAX)]
    tracking_code: Annotated[str, Meta(max_length=20)]
    action: InboundAction
    note: Annotated[str, Meta(max_length=NOTE_MAX)] | None = None


def _webhook_out(webhook: WebhookView) -> WebhookOut:
    return WebhookOut(
        id=webhook.id,
        department=webhook.department_code,
        url=webhook.url,
        active=webhook.active,
        created_at=webhook.created_at,
    )


def _attempt_out(attempt: WebhookAttemptView) -> AttemptOut:
    return AttemptOut(
        message_id=attempt.message_id,
        delivery_id=attempt.delivery_id,
        event=attempt.event,
        tracking_code=attempt.tracking_code,
        attempt=attempt.attempt,
        status_code=attempt.status_code,
        error=attempt.error,
        duration_ms=attempt.duration_ms,
        at=attempt.created_at,
        message_status=attempt.message_status,
    )


_ERRORS = {
    400: ResponseSpec(ErrorBody, description="Invalid input, naming the field"),
    401: ResponseSpec(ErrorBody, description="Not signed in"),
    403: ResponseSpec(ErrorBody, description="Not an admin"),
}


class WebhookAdminApi(Controller):
    path = "/api/v1/admin/webhooks"
    tags = ["admin"]
    guards = [allow(ADMIN_ROLES)]
    dependencies = SIGNED_IN
    before_request: BeforeRequestHookHandler | None = require_json

    @get("/", summary="Every department webhook (secrets are never shown again)")
    async def all_webhooks(self) -> list[WebhookOut]:
        return [_webhook_out(row) for row in await webhooks.list_webhooks()]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Register a department's webhook",
        responses=_ERRORS,
    )
    async def register(
        self, request: Request[Any, Any, Any], user: SignedInUser, data: JSONBody[WebhookIn]
    ) -> WebhookCreated:
        webhook = await webhooks.register_webhook(
            department_code=data.department,
            url=data.url,
            secret=data.secret,
            allowed_hosts=request.app.state.settings.webhook_allowed_hosts,
            actor=user.actor,
        )
        return WebhookCreated(
            **msgspec.structs.asdict(_webhook_out(webhook)), secret=webhook.secret
        )

    @post(
        "/{webhook_id:int}/{change:str}",
        status_code=HTTP_200_OK,
        summary="activate | deactivate",
        responses=_ERRORS,
    )
    async def change(
        self, user: SignedInUser, webhook_id: FromPath[int], change: FromPath[str]
    ) -> WebhookOut:
        if change not in {"activate", "deactivate"}:
            raise InvalidInput(
                N_("Perubahan harus activate atau deactivate."),
                field="change",
            )
        webhook = await webhooks.set_webhook_active(
            webhook_id=webhook_id,
            active=change == "activate",
            actor=user.actor,
        )
        return _webhook_out(webhook)

    @get(
        "/{webhook_id:int}/deliveries",
        summary="The delivery log: latest attempts first",
        responses=_ERRORS,
    )
    async def deliveries(
        self, webhook_id: FromPath[int], limit: FromQuery[int] = 50
    ) -> list[AttemptOut]:
        log = await webhooks.delivery_log(webhook_id=webhook_id, limit=limit)
        return [_attempt_out(attempt) for attempt in log]


class InboundApi(Controller):
    path = "/api/v1/departments"
    tags = ["webhooks"]
    before_request: BeforeRequestHookHandler | None = require_json

    @post(
        "/{code:str}/inbound",
        status_code=HTTP_200_OK,
        summary="A department's system acknowledges, answers or resolves a report",
        description=f"The raw JSON body signed with HMAC-SHA256 of the department's webhook "
        f"secret, sent as `{webhooks.SIGNATURE_HEADER}: sha256=<hex>`.",
        responses={
            400: _ERRORS[400],
            403: ResponseSpec(ErrorBody, description="Signature missing or wrong"),
            404: ResponseSpec(ErrorBody, description="Unknown department or report"),
            409: ResponseSpec(ErrorBody, description="Not in a status that allows it"),
        },
    )
    async def inbound(
        self, request: Request[Any, Any, Any], code: FromPath[str], data: JSONBody[InboundIn]
    ) -> InboundResult:
        department = await inbound.authenticate_inbound(
            department_code=code,
            body=await request.body(),
            signature=request.headers.get(webhooks.SIGNATURE_HEADER),
        )
        return await inbound.apply_inbound(
            department=department,
            request_id=data.id,
            tracking_code=data.tracking_code,
            action=data.action,
            note=data.note,
        )
