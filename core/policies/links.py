"""Staff link a report to the city policy it is about, or unlink it, when the citizen did not
(or named the wrong one). Each change is an event in the report's timeline — `policy_linked`
with the policy and the stance, or `policy_unlinked` — and counts towards the policy's
pressure (core/policies/pressure.py) from then on. A revoked policy can no longer be linked.
"""

from __future__ import annotations

from core import clock
from core.errors import Forbidden, InvalidInput
from core.integrations import webhooks
from core.policies.models import PolicyLink
from core.reports.intake import STANCES, linkable_policy
from core.reports.lifecycle import load_for_update, record_event
from core.reports.models import LinkablePolicy
from core.staff.actors import Actor, Role
from core.staff.permissions import may_act_on_department
from db.engine import write_transaction
from db.tables import Policy, Report
from i18n import N_

# Staff who work on reports link them; leadership reads only.
_LINKING = frozenset({Role.OFFICER, Role.HEAD, Role.VERIFIER, Role.ADMIN})


def may_link(actor: Actor, department_id: int | None) -> bool:
    return actor.role in _LINKING and may_act_on_department(actor, department_id)


async def _change(
    *,
    tracking_code: str,
    actor: Actor,
    policy: LinkablePolicy | None,
    stance: str | None,
    kind: str,
) -> PolicyLink:
    async with write_transaction():
        report = await load_for_update(tracking_code)
        if not may_link(actor, report.department):
            raise Forbidden(
                N_("Anda tidak berwenang mengubah tautan kebijakan laporan ini."),
            )
        previous = (
            await Policy.select(Policy.code).where(Policy.id == report.policy).first()
            if report.policy
            else None
        )
        if policy is None and previous is None:
            raise InvalidInput(
                N_("Laporan ini tidak tertaut ke kebijakan."),
                field="policy",
            )
        if policy is not None and (report.policy, report.stance) == (policy.id, stance):
            raise InvalidInput(
                N_("Laporan sudah tertaut ke kebijakan ini dengan sikap yang sama."),
                field="policy",
            )
        moment = clock.now()
        updated = (
            await Report.update(
                {
                    Report.policy: policy.id if policy else None,
                    Report.stance: stance,
                    Report.updated_at: moment,
                }
            )
            .where(Report.id == report.id)
            .returning(*Report.all_columns(exclude=[Report.follow_up_key]))
        )[0]
        detail = {
            "policy": policy.code if policy else None,
            "stance": stance,
            "previous": previous["code"] if previous else None,
        }
        event_id = await record_event(
            report_id=updated["id"],
            kind=kind,
            from_status=report.status,
            to_status=report.status,
            actor=actor,
            department_id=report.department,
            public_note=None,
            detail=detail,
            moment=moment,
        )
        await webhooks.enqueue_event(report=updated, event_id=event_id, event=kind, note=None)
    return PolicyLink(
        tracking_code=updated["tracking_code"],
        status=updated["status"],
        policy_code=policy.code if policy else None,
        stance=stance,
    )


async def link_report(
    *, tracking_code: str, policy_code: str, stance: str, actor: Actor
) -> PolicyLink:
    """Link the report to `policy_code` with `stance` (objection, suggestion or support)."""
    if stance not in STANCES:
        raise InvalidInput(
            N_("Sikap harus salah satu dari %(choices)s."),
            choices=", ".join(STANCES),
            field="stance",
        )
    policy = await linkable_policy(policy_code)
    return await _change(
        tracking_code=tracking_code,
        actor=actor,
        policy=policy,
        stance=stance,
        kind="policy_linked",
    )


async def unlink_report(*, tracking_code: str, actor: Actor) -> PolicyLink:
    """The report is not about a policy after all."""
    return await _change(
        tracking_code=tracking_code,
        actor=actor,
        policy=None,
        stance=None,
        kind="policy_unlinked",
    )
