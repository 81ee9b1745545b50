"""The report lifecycle as one state machine.

    triage -> open -> in_progress -> resolved -> closed
                                       resolved -> in_progress   (citizen: "not fixed")
    triage | open | in_progress -> rejected | referred
    open | in_progress -> open                                   (re-route)
    open | in_progress -> merged -> back    (core/reports/merging.py: one case, its followers)

Every transition is one function: it checks the current state inside a write transaction,
updates the report with a compare-and-set on that state, appends one timeline event and
queues the notifications it causes, all committed together.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from core import clock
from core.catalogue.public import UNKNOWN_DEPARTMENT
from core.errors import Forbidden, IllegalTransition, InvalidInput
from core.integrations import webhooks
from core.messaging import outbox
from core.reports import emergency
from core.reports.models import ReportRecord
from core.reports.models import Status as Status  # where the lifecycle's users look for it
from core.reports.tracking import normalize_code, report_not_found
from core.routing.models import RoutingDecision
from core.routing.referrals import known_referral
from core.service_levels.deadlines import (
    ClockChange,
    Stage,
    clock_started,
    clock_stopped,
    deadline,
    working_calendar,
)
from core.staff.actors import Actor, ActorKind, Role
from core.staff.permissions import may_act_on_department
from db.engine import is_sqlite, write_transaction
from db.tables import Department, Report, ReportEvent, ReportLadder, TrainingExample
from i18n import N_, Text

# The one name of each status people read, on every channel (msgids of the i18n catalogue).
STATUS_NAMES: dict[str, str] = {
    Status.TRIAGE: N_("Menunggu verifikasi"),
    Status.OPEN: N_("Diteruskan"),
    Status.IN_PROGRESS: N_("Ditindaklanjuti"),
    Status.RESOLVED: N_("Selesai, menunggu konfirmasi"),
    Status.CLOSED: N_("Ditutup"),
    Status.REJECTED: N_("Ditolak"),
    Status.REFERRED: N_("Dirujuk"),
    Status.MERGED: N_("Digabung dengan laporan lain"),
}

ACTIVE = frozenset({Status.TRIAGE, Status.OPEN, Status.IN_PROGRESS})
WITH_DEPARTMENT = frozenset({Status.OPEN, Status.IN_PROGRESS})
# Not yet acknowledged: routed (or re-routed) to a department where nobody has taken it on yet
# (`acknowledge`), so the department still owes its first response. A reopened report comes
# back in progress: acknowledged already.
UNACKNOWLEDGED = frozenset({Status.OPEN})
# Where a report's life ended with its department (or went on as part of another report's
# case): what its archive lists.
ARCHIVED = frozenset({Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.MERGED})
# Where an urgent report still waits for its first staff action (core/reports/emergency.py).
AWAITING_STAFF = frozenset({Status.TRIAGE}) | UNACKNOWLEDGED


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status | None  # None: the status stays as it is
    event: str
    notify_citizen: bool
    notify_department: bool


# What each action does to a report, as it reads in "cannot be …" (msgids of the catalogue).
ACTION_DONE_NAMES: dict[str, str] = {
    "route": N_("diteruskan"),
    "reroute": N_("dialihkan"),
    "acknowledge": N_("diterima untuk ditangani"),
    "respond": N_("dibalas"),
    "mark_field_work": N_("ditandai perlu pekerjaan lapangan"),
    "resolve": N_("diselesaikan"),
    "reopen": N_("dibuka kembali"),
    "close": N_("ditutup"),
    "reject": N_("ditolak"),
    "refer": N_("dirujuk"),
}

# Actions that end a report's life with the city and cannot be undone: the pages ask for a
# confirmation first.
FINAL_ACTIONS = frozenset({"reject", "refer"})

TRANSITIONS: dict[str, Transition] = {
    "route": Transition(frozenset({Status.TRIAGE}), Status.OPEN, "routed", True, True),
    "reroute": Transition(WITH_DEPARTMENT, Status.OPEN, "rerouted", True, True),
    "acknowledge": Transition(
        frozenset({Status.OPEN}), Status.IN_PROGRESS, "acknowledged", True, False
    ),
    "respond": Transition(frozenset({Status.IN_PROGRESS}), None, "responded", True, False),
    "mark_field_work": Transition(frozenset({Status.IN_PROGRESS}), None, "field_work", True, False),
    "resolve": Transition(WITH_DEPARTMENT, Status.RESOLVED, "resolved", True, False),
    "reopen": Transition(frozenset({Status.RESOLVED}), Status.IN_PROGRESS, "reopened", False, True),
    "close": Transition(frozenset({Status.RESOLVED}), Status.CLOSED, "closed", True, False),
    "reject": Transition(ACTIVE, Status.REJECTED, "rejected", True, False),
    "refer": Transition(ACTIVE, Status.REFERRED, "referred", True, False),
}

# Which staff roles may take which actions (officers and heads only on their own department:
# core.staff.permissions).
_STAFF_ACTIONS: dict[Role, frozenset[str]] = {
    Role.OFFICER: frozenset(
        {"acknowledge", "respond", "mark_field_work", "resolve", "reroute", "reject", "refer"}
    ),
    Role.HEAD: frozenset(
        {"acknowledge", "respond", "mark_field_work", "resolve", "reroute", "reject", "refer"}
    ),
    Role.VERIFIER: frozenset({"route", "reroute", "reject", "refer"}),
    Role.ADMIN: frozenset(TRANSITIONS),
    Role.LEADERSHIP: frozenset(),
}
_CITIZEN_ACTIONS = frozenset({"reopen", "close"})


def authorize(
    actor: Actor,
    action: str,
    *,
    department_id: int | None,
    citizen_id: int | None,
    followers: frozenset[int] = frozenset(),
) -> None:
    """Whether `actor` may take `action` on a report of that department and citizen (or of
    one of the citizens who follow it: their reports were merged into it)."""
    if actor.kind is ActorKind.SYSTEM:
        return
    if actor.kind is ActorKind.CITIZEN:
        if action in _CITIZEN_ACTIONS and (
            citizen_id == actor.citizen_id or actor.citizen_id in followers
        ):
            return
    elif (
        actor.role
        and action in _STAFF_ACTIONS[actor.role]
        and may_act_on_department(actor, department_id)
    ):
        return
    raise Forbidden(
        N_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."),
    )


def report_record(row: dict[str, Any]) -> ReportRecord:
    """The record of a report row read or returned with its columns (follow-up key aside)."""
    return msgspec.convert(row, ReportRecord)


async def load_for_update(tracking_code: str) -> ReportRecord:
    """The report, locked for the rest of the transaction on PostgreSQL; NotFound if none."""
    code = normalize_code(tracking_code)
    query = Report.select().where(Report.tracking_code == code)
    if code and not is_sqlite():
        query = query.lock_rows()
    row = await query.first() if code else None
    if row is None:
        raise report_not_found(tracking_code)
    return report_record(row)


class _Department(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    first_response_days: int | None


async def _department(code: str) -> _Department:
    row = await Department.select().where(Department.code == code).first()
    if row is None or not row["active"]:
        raise InvalidInput(
            UNKNOWN_DEPARTMENT,
            code=code,
            field="department",
        )
    return msgspec.convert(row, _Department)


# A staff note or a citizen's reason (reopen, reject, refer, ...), whichever door it came
# through: the API schemas, the forms and the bot read these bounds.
# A citizen rates a closed report from 1 to 5 stars.
RATINGS = range(1, 6)
NOTE_MIN = 3
NOTE_MAX = 4000


def _illegal(action: str, status: str) -> IllegalTransition:
    return IllegalTransition(
        action=action,
        status=status,
        action_name=ACTION_DONE_NAMES[action],
        status_name=STATUS_NAMES[status],
    )


def required_note(note: str | None, *, what: Text, field: str = "note") -> str:
    cleaned = (note or "").strip()
    if len(cleaned) < NOTE_MIN:
        raise InvalidInput(
            N_("%(what)s wajib diisi, minimal %(note_min)s karakter."),
            what=what,
            note_min=NOTE_MIN,
            field=field,
        )
    if len(cleaned) > NOTE_MAX:
        raise InvalidInput(
            N_("%(what)s paling panjang %(note_max)s karakter."),
            what=what,
            note_max=NOTE_MAX,
            field=field,
        )
    return cleaned


# A transition's further report column values, and its new or stopped deadline if any.
Change = tuple[dict[Any, Any], ClockChange | None]
Changes = Callable[[ReportRecord, datetime], Awaitable[Change]]


async def _apply(
    *,
    tracking_code: str,
    action: str,
    actor: Actor,
    public_note: str | None = None,
    detail: dict[str, Any] | None = None,
    changes: Changes | None = None,
    event_department_id: int | None = None,
) -> ReportRecord:
    """Run one transition. `changes` computes further column values from the locked report
    row and the current time, inside the transaction."""
    transition = TRANSITIONS[action]
    async with write_transaction():
        report = await load_for_update(tracking_code)
        current = report.status
        if current not in transition.sources:
            raise _illegal(action, current)
        authorize(
            actor,
            action,
            department_id=report.department,
            citizen_id=report.citizen,
            followers=frozenset(await followers(report.id))
            if actor.kind is ActorKind.CITIZEN
            else frozenset(),
        )
        moment = clock.now()
        target = transition.target or current
        values: dict[Any, Any] = {Report.status: target, Report.updated_at: moment}
        clock_change = None
        if changes:
            more, clock_change = await changes(report, moment)
            values.update(more)
        if clock_change:
            values.update(clock_change.report)
        updated = (
            await Report.update(values)
            .where((Report.id == report.id) & (Report.status == current))
            .returning(*Report.all_columns(exclude=[Report.follow_up_key]))
        )
        if not updated:  # another writer changed the state between our read and write
            raise _illegal(action, current)
        report = report_record(updated[0])
        if clock_change:
            await ReportLadder.update(clock_change.ladder).where(ReportLadder.id == report.ladder)
        if report.urgent and (target != current or action == "reroute"):
            await emergency.watch(
                report=report, waiting=report.status in AWAITING_STAFF, moment=moment
            )
        event_id = await record_event(
            report_id=report.id,
            kind=transition.event,
            from_status=current,
            to_status=target,
            actor=actor,
            department_id=event_department_id or report.department,
            public_note=public_note,
            detail=detail or {},
            moment=moment,
        )
        await notify(
            report=report,
            event_id=event_id,
            event=transition.event,
            notify_citizen=transition.notify_citizen and actor.kind is not ActorKind.CITIZEN,
            notify_department=transition.notify_department,
            note=public_note,
        )
        # A person's decision teaches the classifier; the classifier's own (route_by_model) not.
        if transition.event in {"routed", "rerouted"} and actor.kind is not ActorKind.SYSTEM:
            await _learn(report=report, source=action)
    return report


async def record_event(
    *,
    report_id: int,
    kind: str,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    department_id: int | None,
    public_note: str | None,
    detail: dict[str, Any],
    moment: datetime,
) -> int:
    rows = await ReportEvent.insert(
        ReportEvent(
            report=report_id,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor_kind=actor.kind,
            actor=actor.user_id,
            department=department_id,
            public_note=public_note,
            detail=detail,
            created_at=moment,
        )
    ).returning(ReportEvent.id)
    event_id: int = rows[0]["id"]
    return event_id


async def followers(case_id: int) -> dict[int, int]:
    """The citizens who follow a case, by the id of their report merged into it (each citizen
    once; the case's own citizen is told as its sender)."""
    rows = await Report.select(Report.id, Report.citizen).where(
        (Report.merged_into == case_id)
        & (Report.status == Status.MERGED)
        & Report.citizen.is_not_null()
    )
    found: dict[int, int] = {}
    for row in sorted(rows, key=lambda row: row["id"]):
        if row["citizen"] not in found.values():
            found[row["id"]] = row["citizen"]
    return found


async def notify(
    *,
    report: ReportRecord,
    event_id: int,
    event: str,
    notify_citizen: bool,
    notify_department: bool,
    note: str | None,
) -> str | None:
    """Queue the messages of an event; who was alerted of an urgent report (emergency.alert)."""
    payload = {
        "tracking_code": report.tracking_code,
        "status": report.status,
        "event": event,
        "note": note,
        "urgent": report.urgent,
        "due_at": report.due_at.isoformat() if report.due_at else None,
    }
    messages = []
    if notify_citizen:
        # The sender, then every citizen whose report joined this case, each once.
        recipients = {} if report.citizen is None else {"citizen": report.citizen}
        # A report submitted a moment ago has nobody following it yet: no statement to ask.
        following = {} if event == "submitted" else await followers(report.id)
        for follower_report, citizen in following.items():
            if citizen != report.citizen:
                recipients[f"follower:{follower_report}"] = citizen
        messages += [
            outbox.Message(
                dedupe_key=f"event:{event_id}:{key}",
                channel="citizen",
                template=event,
                report_id=report.id,
                citizen_id=citizen,
                payload=payload,
            )
            for key, citizen in recipients.items()
        ]
    if notify_department and report.department is not None and not report.urgent:
        messages.append(
            outbox.Message(
                dedupe_key=f"event:{event_id}:department",
                channel="department",
                template=event,
                report_id=report.id,
                department_id=report.department,
                payload=payload,
            )
        )
    await outbox.enqueue(*messages)  # the citizens' and the department's in one statement
    alerted = None
    if notify_department and report.urgent:
        alerted = await emergency.alert(report=report, event_id=event_id, payload=payload)
    # The webhooks' body is built from the report's columns by name.
    await webhooks.enqueue_event(
        report=msgspec.structs.asdict(report), event_id=event_id, event=event, note=note
    )
    return alerted


async def _first_response_due(
    department: _Department, *, urgent: bool, start: datetime
) -> datetime:
    return deadline(
        Stage.FIRST_RESPONSE,
        start=start,
        calendar=await working_calendar(),
        urgent=urgent,
        first_response_days=department.first_response_days,
    )


async def _resolution_due(
    report: ReportRecord, *, start: datetime, needs_field_work: bool
) -> datetime:
    department = await Department.select().where(Department.id == report.department).first()
    return deadline(
        Stage.RESOLUTION,
        start=start,
        calendar=await working_calendar(),
        urgent=report.urgent,
        needs_field_work=needs_field_work,
        resolution_days=department["resolution_days"] if department else None,
    )


async def _learn(*, report: ReportRecord, source: str) -> None:
    """A person's routing decision is a training example for the classifier."""
    department = (
        await Department.select(Department.code).where(Department.id == report.department).first()
    )
    if department is None:  # routed and rerouted reports always have one
        return
    await TrainingExample.insert(
        TrainingExample(
            text=report.text,
            department_code=department["code"],
            source=source,
            report=report.id,
            created_at=clock.now(),
        )
    )


async def route(*, tracking_code: str, department_code: str, actor: Actor) -> ReportRecord:
    """A verifier sends a triage report to a department."""
    department = await _department(department_code)

    async def changes(row: ReportRecord, now: datetime) -> Change:
        due = await _first_response_due(department, urgent=row.urgent, start=now)
        return {Report.department: department.id}, clock_started(start=now, due=due)

    return await _apply(tracking_code=tracking_code, action="route", actor=actor, changes=changes)


async def route_by_model(*, tracking_code: str, decision: RoutingDecision) -> ReportRecord | None:
    """The first model's decision on a report that arrived before any model existed and so
    waited in triage unseen (confidence null): routed to the department the model names, as
    a verifier would, with the model's confidence and urgency; otherwise left in triage with
    them and the suggested authority, for a verifier, as intake would have. None when the
    report was no longer waiting unseen (a verifier acted, or another process took it)."""
    if decision.confidence is None:
        raise ValueError("a model's decision carries its confidence")
    department = None
    if decision.department_code:
        try:
            department = await _department(decision.department_code)
        except InvalidInput:  # deactivated since: triage, as at intake
            department = None
    if department is None:
        async with write_transaction():
            rows = (
                await Report.update(
                    {
                        Report.confidence: decision.confidence,
                        Report.suggested_referral: decision.refer_to,
                        Report.urgent: decision.urgent,
                    }
                )
                .where(
                    (Report.tracking_code == tracking_code)
                    & (Report.status == Status.TRIAGE)
                    & Report.confidence.is_null()
                )
                .returning(*Report.all_columns(exclude=[Report.follow_up_key]))
            )
            if not rows:
                return None
            report = report_record(rows[0])
            if report.urgent:  # nobody was alerted at intake: leadership is if nobody acts
                await emergency.watch(report=report, waiting=True, moment=clock.now())
            return report

    async def changes(row: ReportRecord, now: datetime) -> Change:
        if row.confidence is not None:
            raise _illegal("route", row.status)
        due = await _first_response_due(department, urgent=decision.urgent, start=now)
        return {
            Report.department: department.id,
            Report.confidence: decision.confidence,
            Report.urgent: decision.urgent,
        }, clock_started(start=now, due=due)

    try:
        return await _apply(
            tracking_code=tracking_code,
            action="route",
            actor=Actor.system(),
            detail={"by": "classifier", "confidence": decision.confidence},
            changes=changes,
        )
    except IllegalTransition:
        return None


async def reroute(
    *, tracking_code: str, department_code: str, reason: str, actor: Actor
) -> ReportRecord:
    """Send a report to another department; its first-response clock starts again there."""
    department = await _department(department_code)
    note = required_note(reason, what=Text(N_("Alasan pengalihan")))

    async def changes(row: ReportRecord, now: datetime) -> Change:
        if row.department == department.id:
            raise InvalidInput(
                N_("Laporan sudah berada di perangkat daerah tersebut."),
                field="department",
            )
        due = await _first_response_due(department, urgent=row.urgent, start=now)
        # The officer who carried it works for the department it left.
        return {
            Report.department: department.id,
            Report.reroute_count: row.reroute_count + 1,
            Report.assignee: None,
        }, clock_started(start=now, due=due)

    return await _apply(
        tracking_code=tracking_code,
        action="reroute",
        actor=actor,
        detail={"reason": note, "to": department_code},
        changes=changes,
    )


async def acknowledge(*, tracking_code: str, actor: Actor, note: str | None = None) -> ReportRecord:
    """An officer takes the report on; the clock moves from first response to resolution."""

    async def changes(row: ReportRecord, now: datetime) -> Change:
        due = await _resolution_due(row, start=now, needs_field_work=row.needs_field_work)
        return {Report.first_response_at: row.first_response_at or now}, clock_started(
            start=now, due=due
        )

    return await _apply(
        tracking_code=tracking_code,
        action="acknowledge",
        actor=actor,
        public_note=(note or "").strip() or None,
        changes=changes,
    )


async def respond(*, tracking_code: str, message: str, actor: Actor) -> ReportRecord:
    """A reply to the citizen while work goes on; the status stays in progress."""
    note = required_note(message, what=Text(N_("Jawaban")))
    return await _apply(
        tracking_code=tracking_code, action="respond", actor=actor, public_note=note
    )


async def mark_field_work(*, tracking_code: str, reason: str, actor: Actor) -> ReportRecord:
    """Field work is needed: the resolution deadline moves to the longer tier."""
    note = required_note(reason, what=Text(N_("Keterangan")))

    async def changes(row: ReportRecord, now: datetime) -> Change:
        start = row.first_response_at or now
        due = await _resolution_due(row, start=start, needs_field_work=True)
        return {Report.needs_field_work: True}, clock_started(start=start, due=due)

    return await _apply(
        tracking_code=tracking_code,
        action="mark_field_work",
        actor=actor,
        public_note=note,
        changes=changes,
    )


async def resolve(*, tracking_code: str, answer: str, actor: Actor) -> ReportRecord:
    """The answer is posted; the citizen is asked to confirm and rate."""
    note = required_note(answer, what=Text(N_("Jawaban penyelesaian")))

    async def changes(row: ReportRecord, now: datetime) -> Change:
        return {
            Report.first_response_at: row.first_response_at or now,
            Report.resolved_at: now,
        }, clock_stopped()

    return await _apply(
        tracking_code=tracking_code,
        action="resolve",
        actor=actor,
        public_note=note,
        changes=changes,
    )


async def reopen(*, tracking_code: str, reason: str, actor: Actor) -> ReportRecord:
    """The citizen says it is not fixed: back to the department with a fresh deadline."""
    note = required_note(reason, what=Text(N_("Alasan")))

    async def changes(row: ReportRecord, now: datetime) -> Change:
        due = await _resolution_due(row, start=now, needs_field_work=row.needs_field_work)
        return {
            Report.resolved_at: None,
            Report.reopen_count: row.reopen_count + 1,
        }, clock_started(start=now, due=due)

    return await _apply(
        tracking_code=tracking_code,
        action="reopen",
        actor=actor,
        public_note=note,
        changes=changes,
    )


def invalid_rating() -> InvalidInput:
    return InvalidInput(
        N_("Penilaian harus %(low)s sampai %(high)s."),
        low=RATINGS[0],
        high=RATINGS[-1],
        field="rating",
    )


async def close(*, tracking_code: str, actor: Actor, rating: int | None = None) -> ReportRecord:
    """Confirmed by the citizen (optionally with a rating), or closed after quiet days."""
    if rating is not None and rating not in RATINGS:
        raise invalid_rating()

    async def changes(row: ReportRecord, now: datetime) -> Change:
        return {Report.closed_at: now, Report.rating: rating or row.rating}, None

    return await _apply(
        tracking_code=tracking_code,
        action="close",
        actor=actor,
        detail={"rating": rating} if rating is not None else {},
        changes=changes,
    )


async def _ended(row: ReportRecord, now: datetime) -> Change:
    return {Report.closed_at: now}, clock_stopped()


async def reject(*, tracking_code: str, reason: str, actor: Actor) -> ReportRecord:
    """Spam, incomplete or duplicate; the citizen sees the reason."""
    note = required_note(reason, what=Text(N_("Alasan penolakan")))
    return await _apply(
        tracking_code=tracking_code, action="reject", actor=actor, public_note=note, changes=_ended
    )


async def refer(*, tracking_code: str, where: str, actor: Actor) -> ReportRecord:
    """Outside the city's authority (province, national, PLN): the citizen is told where to go."""
    note = required_note(where, what=Text(N_("Rujukan")))
    return await _apply(
        tracking_code=tracking_code, action="refer", actor=actor, public_note=note, changes=_ended
    )


async def refer_to_authority(*, tracking_code: str, code: str, actor: Actor) -> ReportRecord:
    """Refer the report to one of the known outside authorities (core.routing.referrals): its
    code is kept on the report, and the citizen's message and the public page name it with
    its contact, in the reader's language, rather than words a staff member typed."""
    found = known_referral(code)

    async def changes(row: ReportRecord, now: datetime) -> Change:
        ended, clock_change = await _ended(row, now)
        return {**ended, Report.referred_to: found.code}, clock_change

    return await _apply(
        tracking_code=tracking_code,
        action="refer",
        actor=actor,
        public_note=found.contact_line,
        detail={"to": found.code},
        changes=changes,
    )
