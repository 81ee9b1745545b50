"""Duplicates become one case: a report merged into another (the case) leaves the queue with the
status `merged`, and its citizen follows the case from then on (core.reports.lifecycle.notify
tells them of the case's changes, and they may rate or reopen it like its own sender).

    open | in_progress -> merged        (merge: staff of the department, or the citizen
                                         joining a public case at intake)
    merged -> the status it had before  (unmerge: the department's head or an admin)

Like every transition, each checks the state and the actor inside one write transaction,
writes one event on each of the two timelines, and queues the citizen's message with them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core import clock
from core.citizens.contacts import IDENTITY_COLUMNS, verified_identity
from core.errors import Forbidden, IllegalTransition, InvalidInput
from core.integrations import webhooks
from core.messaging import outbox
from core.reports.lifecycle import (
    STATUS_NAMES,
    WITH_DEPARTMENT,
    load_for_update,
    record_event,
    report_record,
)
from core.reports.models import ReportRecord, Status
from core.reports.tracking import normalize_code
from core.service_levels.deadlines import clock_started, clock_stopped
from core.staff.actors import Actor, ActorKind, Role
from core.staff.permissions import may_act_as_head_of, may_act_on_department
from db.engine import write_transaction
from db.tables import Report, ReportEvent, ReportLadder
from i18n import N_

MERGED_EVENT = "merged"  # on the merged report's timeline
JOINED_EVENT = "joined"  # on the case's: another report joined it
UNMERGED_EVENT = "unmerged"
SPLIT_EVENT = "split"  # on the case's: a report left it again
# Staff who may merge their department's reports (and admins, city-wide).
MERGING_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.ADMIN})
# What "cannot be …" says of each action.
ACTION_NAMES = {"merge": N_("digabungkan"), "unmerge": N_("dipisahkan kembali")}


def _illegal(action: str, status: Status) -> IllegalTransition:
    return IllegalTransition(
        action=action,
        status=status,
        action_name=ACTION_NAMES[action],
        status_name=STATUS_NAMES[status],
    )


def may_merge(actor: Actor, *, department_id: int | None, status: Status) -> bool:
    """Whether the pages offer `actor` to merge a report of this department and status."""
    return (
        status in WITH_DEPARTMENT
        and actor.role in MERGING_ROLES
        and may_act_on_department(actor, department_id)
    )


def may_unmerge(actor: Actor, *, department_id: int | None, status: Status) -> bool:
    return status is Status.MERGED and may_act_as_head_of(actor, department_id)


def _authorize_merge(actor: Actor, report: ReportRecord, case: ReportRecord) -> None:
    if actor.kind is ActorKind.SYSTEM:
        return
    if actor.kind is ActorKind.CITIZEN:
        # A citizen joins only their own report to a case the public may read.
        if actor.citizen_id == report.citizen and not case.confidential:
            return
    elif (
        actor.role in MERGING_ROLES
        and may_act_on_department(actor, report.department)
        and may_act_on_department(actor, case.department)
    ):
        return
    raise Forbidden(N_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))


async def _locked_pair(code: str, other: str) -> tuple[ReportRecord, ReportRecord]:
    """Both reports, locked in one order whoever asks, so two merges cannot deadlock."""
    first, second = sorted((code, other), key=lambda one: normalize_code(one) or one)
    locked = {first: await load_for_update(first), second: await load_for_update(second)}
    return locked[code], locked[other]


async def merge(*, tracking_code: str, into: str, actor: Actor) -> ReportRecord:
    """Merge the report into the case `into` (an open report of the same department)."""
    if normalize_code(tracking_code) == normalize_code(into):
        raise InvalidInput(
            N_("Laporan tidak dapat digabungkan dengan dirinya sendiri."), field="into"
        )
    async with write_transaction():
        report, case = await _locked_pair(tracking_code, into)
        if report.status not in WITH_DEPARTMENT:
            raise _illegal("merge", report.status)
        _authorize_merge(actor, report, case)
        if case.status not in WITH_DEPARTMENT:
            raise InvalidInput(
                N_("Laporan %(code)s bukan kasus yang masih terbuka."),
                code=case.tracking_code,
                field="into",
            )
        if case.department != report.department:
            raise InvalidInput(
                N_("Hanya laporan dari perangkat daerah yang sama yang dapat digabungkan."),
                field="into",
            )
        moment = clock.now()
        stopped = clock_stopped()
        updated = await _set(
            "merge",
            report,
            {
                Report.status: Status.MERGED,
                Report.merged_into: case.id,
                Report.updated_at: moment,
                **stopped.report,
            },
        )
        if report.ladder is not None:
            await ReportLadder.update(stopped.ladder).where(ReportLadder.id == report.ladder)
        # Those who followed this report follow the case now.
        await Report.update({Report.merged_into: case.id}).where(
            (Report.merged_into == report.id) & (Report.status == Status.MERGED)
        )
        await Report.update({Report.updated_at: moment}).where(Report.id == case.id)
        event_id = await record_event(
            report_id=report.id,
            kind=MERGED_EVENT,
            from_status=report.status,
            to_status=Status.MERGED,
            actor=actor,
            department_id=report.department,
            public_note=None,
            detail={
                "into": case.tracking_code,
                "due_at": report.due_at.isoformat() if report.due_at else None,
            },
            moment=moment,
        )
        await record_event(
            report_id=case.id,
            kind=JOINED_EVENT,
            from_status=case.status,
            to_status=case.status,
            actor=actor,
            department_id=case.department,
            public_note=None,
            detail={"report": report.tracking_code},
            moment=moment,
        )
        await _tell(updated, event_id=event_id, event=MERGED_EVENT, case=case, actor=actor)
    return updated


async def unmerge(*, tracking_code: str, actor: Actor) -> ReportRecord:
    """Undo a merge: the report has the status (and the deadline) it had before, and its
    citizen no longer follows the case. The department's head or an admin."""
    async with write_transaction():
        report = await load_for_update(tracking_code)
        if report.status is not Status.MERGED or report.merged_into is None:
            raise _illegal("unmerge", report.status)
        if not may_act_as_head_of(actor, report.department):
            raise Forbidden(
                N_("Hanya admin atau kepala perangkat daerah ini yang dapat melakukan ini."),
            )
        case = (
            await Report.select(Report.id, Report.tracking_code, Report.status, Report.department)
            .where(Report.id == report.merged_into)
            .first()
        )
        merged = (
            await ReportEvent.select(ReportEvent.from_status, ReportEvent.detail)
            .where((ReportEvent.report == report.id) & (ReportEvent.kind == MERGED_EVENT))
            .order_by(ReportEvent.id, ascending=False)
            .output(load_json=True)
            .first()
        )
        if case is None or merged is None:  # a merged report has both
            raise _illegal("unmerge", report.status)
        restored = Status(merged["from_status"])
        due = (merged["detail"] or {}).get("due_at")
        moment = clock.now()
        values: dict[Any, Any] = {
            Report.status: restored,
            Report.merged_into: None,
            Report.updated_at: moment,
        }
        started = clock_started(start=moment, due=datetime.fromisoformat(due)) if due else None
        if started:
            values.update(started.report)
        updated = await _set("unmerge", report, values)
        if started and report.ladder is not None:
            await ReportLadder.update(started.ladder).where(ReportLadder.id == report.ladder)
        event_id = await record_event(
            report_id=report.id,
            kind=UNMERGED_EVENT,
            from_status=Status.MERGED,
            to_status=restored,
            actor=actor,
            department_id=report.department,
            public_note=None,
            detail={"from": case["tracking_code"]},
            moment=moment,
        )
        await record_event(
            report_id=case["id"],
            kind=SPLIT_EVENT,
            from_status=case["status"],
            to_status=case["status"],
            actor=actor,
            department_id=case["department"],
            public_note=None,
            detail={"report": report.tracking_code},
            moment=moment,
        )
        await _tell(updated, event_id=event_id, event=UNMERGED_EVENT, case=None, actor=actor)
    return updated


async def _set(action: str, report: ReportRecord, values: dict[Any, Any]) -> ReportRecord:
    """Write `values` if the report still has the status read (compare-and-set)."""
    updated = (
        await Report.update(values)
        .where((Report.id == report.id) & (Report.status == report.status))
        .returning(*Report.all_columns(exclude=[Report.follow_up_key]))
    )
    if not updated:
        raise _illegal(action, report.status)
    return report_record(updated[0])


async def _tell(
    report: ReportRecord, *, event_id: int, event: str, case: ReportRecord | None, actor: Actor
) -> None:
    """The report's citizen hears that it joined the case (with the case's code), or that it
    is handled on its own again; the department's webhooks hear of it too. A citizen who
    joined the case themselves is answered by the door they pressed it in, as for a rating."""
    await webhooks.enqueue_event(
        report=msgspec.structs.asdict(report), event_id=event_id, event=event, note=None
    )
    if report.citizen is None or actor.kind is ActorKind.CITIZEN:
        return
    await outbox.enqueue(
        outbox.Message(
            dedupe_key=f"event:{event_id}:citizen",
            channel="citizen",
            template=event,
            report_id=report.id,
            citizen_id=report.citizen,
            payload={
                "tracking_code": report.tracking_code,
                "status": report.status,
                "event": event,
                "case_code": case.tracking_code if case else None,
                "due_at": report.due_at.isoformat() if report.due_at else None,
            },
        )
    )


async def reporters(case_id: int) -> int:
    """How many citizens reported a case: the senders of the case and of the reports merged
    into it, a verified person (a Telegram account or a confirmed email address,
    core.citizens.contacts.verified_identity) once however many reports they sent; a sender
    the platform has not verified counts once per report, as no one can tell them apart."""
    rows = await Report.select(Report.id, *IDENTITY_COLUMNS).where(
        (Report.id == case_id)
        | ((Report.merged_into == case_id) & (Report.status == Status.MERGED))
    )
    return len({verified_identity(row) or f"r{row['id']}" for row in rows})
