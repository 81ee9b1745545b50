"""Where a department's own system acts on a report: acknowledge, answer or resolve it, as
one of the department's officers would, through core.reports.lifecycle.

The request is a JSON body signed like the webhooks' deliveries (HMAC-SHA256 with the secret
of one of the department's active webhooks, `X-Ingatkan-Signature: sha256=<hex>` over the raw
body). The body carries the sender's own request id, kept in InboundReceipt in the same
transaction as the change, so a replayed request changes nothing.
"""

from __future__ import annotations

import re

from core import clock
from core.errors import Forbidden, InvalidInput, NotFound
from core.integrations.models import InboundAction, InboundResult, SigningDepartment
from core.integrations.webhooks import SIGNATURE_HEADER, signature_matches
from core.reports import lifecycle
from core.reports.tracking import normalize_code
from core.staff.actors import Actor, ActorKind, Role
from db.engine import write_transaction
from db.tables import Department, DepartmentWebhook, InboundReceipt
from i18n import N_

INBOUND_ACTIONS: tuple[InboundAction, ...] = ("acknowledge", "respond", "resolve")
REQUEST_ID_MAX = 100
_REQUEST_ID = re.compile(rf"^[\x21-\x7e]{{1,{REQUEST_ID_MAX}}}$")


async def authenticate_inbound(
    *, department_code: str, body: bytes, signature: str | None
) -> SigningDepartment:
    """The department whose system signed `body` with one of its webhooks' secrets."""
    department = (
        await Department.select(Department.id, Department.code)
        .where(Department.code == department_code.strip().upper())
        .first()
    )
    if department is None:
        raise NotFound(N_("Perangkat daerah tidak dikenal."), field="department")
    hooks = await DepartmentWebhook.select(DepartmentWebhook.secret).where(
        (DepartmentWebhook.department == department["id"]) & (DepartmentWebhook.active == True)  # noqa: E712
    )
    if not any(signature_matches(hook["secret"], body, signature) for hook in hooks):
        raise Forbidden(
            N_("Tanda tangan %(signature_header)s tidak ada atau tidak cocok."),
            signature_header=SIGNATURE_HEADER,
            field=SIGNATURE_HEADER,
        )
    return SigningDepartment(id=department["id"], code=department["code"])


async def apply_inbound(
    *,
    department: SigningDepartment,
    request_id: str,
    tracking_code: str,
    action: str,
    note: str | None,
) -> InboundResult:
    """Acknowledge, answer or resolve a report for the department, as one of its officers
    would; the request id makes a replay harmless. Returns the report's code and status and
    whether this request had been applied before."""
    if not _REQUEST_ID.match(request_id):
        raise InvalidInput(
            N_("id: 1–%(max)s karakter tanpa spasi."), max=REQUEST_ID_MAX, field="id"
        )
    if action not in INBOUND_ACTIONS:
        raise InvalidInput(
            N_("action harus salah satu dari %(choices)s."),
            choices=", ".join(INBOUND_ACTIONS),
            field="action",
        )
    code = normalize_code(tracking_code)
    actor = Actor(kind=ActorKind.OFFICER, role=Role.OFFICER, department_id=department.id)
    async with write_transaction():
        report = await lifecycle.load_for_update(tracking_code)
        # The receipt first: a concurrent replay waits on its unique key, then finds it.
        receipt = (
            await InboundReceipt.insert(
                InboundReceipt(
                    key=f"{department.id}:{request_id}",
                    department=department.id,
                    report=report.id,
                    action=action,
                    received_at=clock.now(),
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(InboundReceipt.id)
        )
        assert code is not None  # load_for_update found the report by it
        if not receipt:
            return InboundResult(tracking_code=code, status=report.status, duplicate=True)
        match action:
            case "acknowledge":
                changed = await lifecycle.acknowledge(tracking_code=code, actor=actor, note=note)
            case "respond":
                changed = await lifecycle.respond(
                    tracking_code=code, message=note or "", actor=actor
                )
            case _:
                changed = await lifecycle.resolve(
                    tracking_code=code, answer=note or "", actor=actor
                )
    return InboundResult(tracking_code=code, status=changed.status, duplicate=False)
