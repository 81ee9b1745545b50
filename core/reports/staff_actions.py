"""The actions staff take on a report, by name, as pages and the JSON API offer them.

Each is one call into core.reports.lifecycle, which checks the state and the actor's right and
queues the citizen's notification; this module only maps a name and its inputs onto that call.
"""

from __future__ import annotations

from core.errors import Forbidden, InvalidInput
from core.reports import lifecycle
from core.reports.lifecycle import TRANSITIONS
from core.reports.models import ReportRecord, StaffReport
from core.staff.actors import Actor
from i18n import N_

# In the order a page offers them.
STAFF_ACTIONS = (
    "route",
    "acknowledge",
    "respond",
    "mark_field_work",
    "resolve",
    "reroute",
    "reject",
    "refer",
)
NEEDS_DEPARTMENT = frozenset({"route", "reroute"})


def _department(code: str | None) -> str:
    cleaned = (code or "").strip().upper()
    if not cleaned:
        raise InvalidInput(N_("Pilih perangkat daerah tujuan."), field="department")
    return cleaned


async def take(
    *,
    action: str,
    tracking_code: str,
    actor: Actor,
    note: str | None = None,
    department_code: str | None = None,
    referral_code: str | None = None,
) -> ReportRecord:
    """Run `action` on the report; `note` is the answer, reason or referral it needs. A
    referral names a known authority by `referral_code`, or where to go in the `note`."""
    text = note or ""
    match action:
        case "route":
            return await lifecycle.route(
                tracking_code=tracking_code,
                department_code=_department(department_code),
                actor=actor,
            )
        case "reroute":
            return await lifecycle.reroute(
                tracking_code=tracking_code,
                department_code=_department(department_code),
                reason=text,
                actor=actor,
            )
        case "acknowledge":
            return await lifecycle.acknowledge(tracking_code=tracking_code, actor=actor, note=note)
        case "respond":
            return await lifecycle.respond(tracking_code=tracking_code, message=text, actor=actor)
        case "mark_field_work":
            return await lifecycle.mark_field_work(
                tracking_code=tracking_code, reason=text, actor=actor
            )
        case "resolve":
            return await lifecycle.resolve(tracking_code=tracking_code, answer=text, actor=actor)
        case "reject":
            return await lifecycle.reject(tracking_code=tracking_code, reason=text, actor=actor)
        case "refer" if referral_code is not None:
            return await lifecycle.refer_to_authority(
                tracking_code=tracking_code, code=referral_code, actor=actor
            )
        case "refer":
            return await lifecycle.refer(tracking_code=tracking_code, where=text, actor=actor)
    raise InvalidInput(
        N_("Tindakan '%(action)s' tidak dikenal; harus salah satu dari %(choices)s."),
        action=action,
        choices=", ".join(STAFF_ACTIONS),
        field="action",
    )


def available(actor: Actor, report: StaffReport) -> list[str]:
    """The actions the lifecycle would accept from `actor` on `report` now, so a page offers
    only buttons that work."""
    offered = []
    for action in STAFF_ACTIONS:
        if report.status not in TRANSITIONS[action].sources:
            continue
        try:
            lifecycle.authorize(actor, action, department_id=report.department, citizen_id=None)
        except Forbidden:
            continue
        offered.append(action)
    return offered
