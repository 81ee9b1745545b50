"""Policy reviews: opened when enough distinct verified citizens object, decided by the owning
department's head, the decision published back to every citizen who reported on the policy.

    active | revised --(distinct objectors >= threshold in the window)--> under_review
    under_review --(keep)--> active | --(revise)--> revised | --(revoke)--> revoked

Opening is a compare-and-set on the policy's status, in one transaction with the review row
and the message to the department's head, so a crossing opens exactly one review however
many schedulers check at once. The review's deadline is REVIEW_DAYS working days on the city
calendar and climbs the reports' ladder (core/service_levels/ladder.py): a reminder to the
head at half time, the head again at the deadline, leadership at twice the deadline; each step
is claimed by one conditional UPDATE, so it is taken once. A decision is a compare-and-set on the
review's status, in one transaction with the policy's new status and one outbox message per
citizen, so each is told exactly once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from core import clock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.messaging import outbox
from core.policies.models import (
    DecisionOutcome,
    DecisionTally,
    Pressure,
    ReviewDetail,
    ReviewedReport,
    ReviewView,
)
from core.policies.pressure import pressures
from core.service_levels.deadlines import ladder_times, working_calendar
from core.service_levels.ladder import STEPS, Ladder, LadderStats, climb
from core.staff.actors import Actor, Role
from core.staff.permissions import may_act_as_head_of
from db.engine import write_transaction
from db.tables import Policy, PolicyReview, Report
from i18n import N_, Text

REVIEW_DAYS = 14  # working days, as long as a report's resolution
REVIEWABLE = ("active", "revised")
DECISIONS = ("keep", "revise", "revoke")
STATUS_AFTER = {"keep": "active", "revise": "revised", "revoke": "revoked"}
# A decision reaches citizens on Telegram, whose messages hold 4096 characters in all.
RATIONALE_LIMITS = (10, 2000)
CHANGES_LIMITS = (10, 1000)
# Who hears of each step of a review's ladder.
LADDER_CHANNELS = {
    "reminder": ("department_head",),
    "overdue": ("department_head",),
    "escalated": ("leadership",),
}
BATCH = 500
REPORTS_SHOWN = 200  # on a review's page, newest first


class ReviewClosed(Conflict):
    def __init__(self) -> None:
        super().__init__(N_("Tinjauan ini sudah diputuskan."))


class _NotCrossed(Exception):
    """Raised inside the opening transaction to roll the claim back."""


# --- opening ---------------------------------------------------------------------------


async def open_due_reviews() -> list[int]:
    """Open a review for every policy whose distinct objectors reached its threshold; the
    ids of the reviews this call opened."""
    opened = []
    for pressure in await pressures(statuses=REVIEWABLE):
        if pressure.crossed:
            review_id = await _open(pressure.policy_id)
            if review_id is not None:
                opened.append(review_id)
    return opened


async def _open(policy_id: int) -> int | None:
    try:
        async with write_transaction():
            claimed = (
                await Policy.update({Policy.status: "under_review"})
                .where((Policy.id == policy_id) & Policy.status.is_in(list(REVIEWABLE)))
                .returning(Policy.id)
            )
            if not claimed:  # another scheduler opened it, or a person changed its status
                return None
            if await PolicyReview.exists().where(
                (PolicyReview.policy == policy_id) & (PolicyReview.status == "open")
            ):
                raise _NotCrossed  # an admin set the status back while a review was open
            # Counted again under the claim: a decision committed since the first count
            # moves the window's start, and then this is no longer a crossing.
            (pressure,) = await pressures(policy_ids=[policy_id], statuses=["under_review"])
            if not pressure.crossed:
                raise _NotCrossed
            return await _insert_review(pressure)
    except _NotCrossed:
        return None


async def _insert_review(pressure: Pressure) -> int:
    moment = clock.now()
    due = (await working_calendar()).add_working_days(moment, REVIEW_DAYS)
    reminder_at, escalate_at = ladder_times(start=moment, due=due)
    rows = await PolicyReview.insert(
        PolicyReview(
            policy=pressure.policy_id,
            department=pressure.department_id,
            status="open",
            opened_at=moment,
            objectors=pressure.objectors,
            objections=pressure.objections,
            threshold=pressure.threshold,
            window_days=pressure.window_days,
            themes=[word for word, _ in pressure.themes],
            due_at=due,
            escalation_level=0,
            next_escalation_at=reminder_at,
            escalate_at=escalate_at,
        )
    ).returning(PolicyReview.id)
    review_id: int = rows[0]["id"]
    await outbox.enqueue(
        outbox.Message(
            dedupe_key=f"policy_review:{review_id}:opened",
            channel="department_head",
            template="policy_review_opened",
            department_id=pressure.department_id,
            payload={
                **_staff_payload(
                    review_id=review_id,
                    code=pressure.code,
                    title=pressure.title,
                    department_name=pressure.department_name,
                    due=due,
                    objectors=pressure.objectors,
                ),
                "event": "opened",
                "themes": [word for word, _ in pressure.themes],
            },
        )
    )
    return review_id


def _staff_payload(
    *, review_id: int, code: str, title: str, department_name: str, due: datetime, objectors: int
) -> dict[str, Any]:
    return {
        "review_id": review_id,
        "policy_code": code,
        "policy_title": title,
        "department_name": department_name,
        "due_at": due.isoformat(),
        "objectors": objectors,
    }


# --- the deadline's ladder -------------------------------------------------------------


async def sweep_reviews(*, batch: int = BATCH) -> LadderStats:
    """Take every step of an open review's ladder that is due now, each exactly once."""
    ladder = Ladder(
        table=PolicyReview,
        level="escalation_level",
        due="due_at",
        condition="status = 'open'",
        returning=("id", "policy", "department", "due_at", "objectors"),
        take=_take,
    )
    return await climb(ladder, batch=batch)


async def _take(rows: list[dict[str, Any]], moment: datetime) -> list[str]:
    """One message per step just claimed to whoever hears of it (LADDER_CHANNELS)."""
    policies = {
        row["id"]: row
        for row in await Policy.select(
            Policy.id,
            Policy.code,
            Policy.title,
            Policy.department.name.as_alias("department_name"),
        ).where(Policy.id.is_in([row["policy"] for row in rows]))
    }
    messages: list[outbox.Message] = []
    steps: list[str] = []
    for row in rows:
        step = STEPS[row["level"]]
        steps.append(step)
        policy = policies[row["policy"]]
        payload = {
            **_staff_payload(
                review_id=row["id"],
                code=policy["code"],
                title=policy["title"],
                department_name=policy["department_name"],
                due=_moment(row["due_at"]),
                objectors=row["objectors"],
            ),
            "event": step,
            "level": row["level"],
        }
        messages.extend(
            outbox.Message(
                dedupe_key=f"policy_review:{row['id']}:{step}:{channel}",
                channel=channel,
                template=f"policy_review_{step}",
                department_id=row["department"],
                payload=payload,
            )
            for channel in LADDER_CHANNELS[step]
        )
    await outbox.enqueue(*messages, skip_duplicates=True)
    return steps


def _moment(value: datetime | str) -> datetime:
    # Raw queries on SQLite give timestamps back as text.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# --- deciding ----------------------------------------------------------------------------


def may_decide(actor: Actor, department_id: int) -> bool:
    """The owning department's head decides; an admin may stand in."""
    return may_act_as_head_of(actor, department_id)


def _text(value: str | None, *, field: str, limits: tuple[int, int], what: Text) -> str:
    cleaned = (value or "").strip()
    low, high = limits
    if not low <= len(cleaned) <= high:
        raise InvalidInput(
            N_("%(what)s harus %(low)s sampai %(high)s karakter."),
            what=what,
            low=low,
            high=high,
            field=field,
        )
    return cleaned


async def decide(
    *,
    review_id: int,
    decision: str,
    rationale: str,
    actor: Actor,
    changes: str | None = None,
    changes_from: date | None = None,
) -> DecisionOutcome:
    """Publish the decision on an open review: the policy's new status, and one message to
    every citizen who reported on the policy since its previous decision."""
    if decision not in DECISIONS:
        raise InvalidInput(
            N_("Keputusan harus salah satu dari %(choices)s."),
            choices=", ".join(DECISIONS),
            field="decision",
        )
    rationale = _text(
        rationale, field="rationale", limits=RATIONALE_LIMITS, what=Text(N_("Alasan"))
    )
    if decision == "revise":
        changes = _text(changes, field="changes", limits=CHANGES_LIMITS, what=Text(N_("Perubahan")))
        if changes_from is None:
            raise InvalidInput(
                N_("Sebutkan sejak kapan revisi berlaku."),
                field="changes_from",
            )
    else:
        changes, changes_from = None, None
    async with write_transaction():
        review = await _review_row(review_id)
        if not may_decide(actor, review["department"]):
            raise Forbidden(
                N_("Hanya kepala perangkat daerah pemilik kebijakan yang dapat memutuskan."),
            )
        moment = clock.now()
        decided = (
            await PolicyReview.update(
                {
                    PolicyReview.status: "decided",
                    PolicyReview.decision: decision,
                    PolicyReview.rationale: rationale,
                    PolicyReview.changes: changes,
                    PolicyReview.changes_from: changes_from,
                    PolicyReview.decided_at: moment,
                    PolicyReview.decided_by: actor.user_id,
                    PolicyReview.next_escalation_at: None,
                }
            )
            .where((PolicyReview.id == review_id) & (PolicyReview.status == "open"))
            .returning(PolicyReview.id)
        )
        if not decided:
            raise ReviewClosed
        policy = (
            await Policy.update({Policy.status: STATUS_AFTER[decision]})
            .where(Policy.id == review["policy"])
            .returning(Policy.id, Policy.code, Policy.title)
        )[0]
        payload = {
            "review_id": review_id,
            "policy_code": policy["code"],
            "policy_title": policy["title"],
            "decision": decision,
            "note": rationale,
            "changes": changes,
            "changes_from": changes_from.isoformat() if changes_from else None,
        }
        recipients = await _reporters(policy["id"], before=review_id)
        await outbox.enqueue(
            *(
                outbox.Message(
                    dedupe_key=f"policy_decision:{review_id}:c{citizen_id}",
                    channel="citizen",
                    template="policy_decision",
                    report_id=report_id,
                    citizen_id=citizen_id,
                    payload=payload,
                )
                for citizen_id, report_id in recipients
            ),
            skip_duplicates=True,
        )
        await PolicyReview.update({PolicyReview.notified: len(recipients)}).where(
            PolicyReview.id == review_id
        )
    return DecisionOutcome(review_id=review_id, decision=decision, notified=len(recipients))


async def _review_row(review_id: int) -> dict[str, Any]:
    row = await PolicyReview.select().where(PolicyReview.id == review_id).first()
    if row is None:
        raise NotFound(N_("Tinjauan tidak ditemukan."), field="review")
    return row


async def _previous_decision(policy_id: int, *, before: int) -> datetime | None:
    """When the decision before review `before` was published: what it answered ends there."""
    row = (
        await PolicyReview.select(PolicyReview.decided_at)
        .where(
            (PolicyReview.policy == policy_id)
            & (PolicyReview.id < before)
            & PolicyReview.decided_at.is_not_null()
        )
        .order_by(PolicyReview.decided_at, ascending=False)
        .first()
    )
    return row["decided_at"] if row else None


async def _reporters(policy_id: int, *, before: int) -> list[tuple[int, int]]:
    """(citizen id, their latest report) for each citizen who reported on the policy since
    its previous decision, whatever their stance, once per citizen (one per Telegram account
    or contact, core/citizens/contacts.py). Rejected reports (spam, duplicates) are not a voice to
    answer."""
    query = Report.select(Report.id, Report.citizen).where(
        (Report.policy == policy_id) & Report.citizen.is_not_null() & (Report.status != "rejected")
    )
    previous = await _previous_decision(policy_id, before=before)
    if previous is not None:
        query = query.where(Report.created_at >= previous)
    latest: dict[int, int] = {}
    for row in await query.order_by(Report.id):
        latest[row["citizen"]] = row["id"]
    return sorted(latest.items())


# --- reading -------------------------------------------------------------------------------

_LISTED = (
    PolicyReview.id,
    PolicyReview.status,
    PolicyReview.opened_at,
    PolicyReview.due_at,
    PolicyReview.escalation_level,
    PolicyReview.objectors,
    PolicyReview.objections,
    PolicyReview.threshold,
    PolicyReview.window_days,
    PolicyReview.themes,
    PolicyReview.decision,
    PolicyReview.rationale,
    PolicyReview.changes,
    PolicyReview.changes_from,
    PolicyReview.decided_at,
    PolicyReview.notified,
    PolicyReview.department,
    PolicyReview.policy,
    PolicyReview.policy.code.as_alias("policy_code"),
    PolicyReview.policy.title.as_alias("policy_title"),
    PolicyReview.policy.status.as_alias("policy_status"),
    PolicyReview.department.code.as_alias("department_code"),
    PolicyReview.department.name.as_alias("department_name"),
)


async def list_reviews(
    *,
    status: str | None = None,
    department_id: int | None = None,
    limit: int = 200,
) -> list[ReviewView]:
    """The latest `limit` reviews, open ones by deadline first, decided ones newest first."""
    query = PolicyReview.select(*_LISTED)
    if status is not None:
        query = query.where(PolicyReview.status == status)
    if department_id is not None:
        query = query.where(PolicyReview.department == department_id)
    rows = msgspec.convert(
        await query.order_by(PolicyReview.id, ascending=False).output(load_json=True).limit(limit),
        list[ReviewView],
    )
    opened = sorted((r for r in rows if r.status == "open"), key=lambda r: r.due_at)
    decided = sorted(
        (r for r in rows if r.status != "open"),
        key=lambda r: r.decided_at or r.opened_at,
        reverse=True,
    )
    return opened + decided


async def review_for(*, review_id: int, actor: Actor) -> ReviewDetail:
    """One review with the reports it answers, for the department's head, admins and
    leadership; no reporter's identity, and no text of a confidential report."""
    rows = (
        await PolicyReview.select(*_LISTED)
        .where(PolicyReview.id == review_id)
        .output(load_json=True)
    )
    if not rows:
        raise NotFound(N_("Tinjauan tidak ditemukan."), field="review")
    review = msgspec.convert(rows[0], ReviewView)
    if actor.role not in {Role.ADMIN, Role.LEADERSHIP} and not may_decide(actor, review.department):
        raise Forbidden(
            N_("Tinjauan ini milik perangkat daerah lain."),
        )
    query = Report.select(
        Report.tracking_code,
        Report.stance,
        Report.text,
        Report.confidential,
        Report.status,
        Report.created_at,
    ).where(Report.policy == review.policy)
    previous = await _previous_decision(review.policy, before=review_id)
    if previous is not None:
        query = query.where(Report.created_at >= previous)
    if review.decided_at is not None:
        query = query.where(Report.created_at < review.decided_at)
    reports = await query.order_by(Report.created_at, ascending=False).limit(REPORTS_SHOWN)
    return ReviewDetail(
        **msgspec.structs.asdict(review),
        reports=[
            msgspec.convert(
                {**report, "text": None if report["confidential"] else report["text"]},
                ReviewedReport,
            )
            for report in reports
        ],
        may_decide=review.status == "open" and may_decide(actor, review.department),
    )


async def decisions_per_department(*, start: datetime, end: datetime) -> dict[str, DecisionTally]:
    """Per department code: reviews decided in [start, end), and how many of them by their
    deadline — for the six-monthly evaluation."""
    counts: dict[str, DecisionTally] = {}
    rows = await PolicyReview.select(
        PolicyReview.department.code.as_alias("department_code"),
        PolicyReview.decided_at,
        PolicyReview.due_at,
    ).where((PolicyReview.decided_at >= start) & (PolicyReview.decided_at < end))
    for row in rows:
        tally = counts.get(row["department_code"], DecisionTally())
        counts[row["department_code"]] = DecisionTally(
            decided=tally.decided + 1,
            on_time=tally.on_time + (row["decided_at"] <= row["due_at"]),
        )
    return counts
