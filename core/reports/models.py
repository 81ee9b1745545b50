"""The records of a report that leave core/reports: what the lifecycle writes and returns, what
submission hands back once, what anyone may see, what the department's staff see, the queues
they work from, and what the public pages show besides one report."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

import msgspec

from core.citizens.models import Reach
from core.policies.models import PolicyView, ReviewView
from core.routing.referrals import Referral


class Status(StrEnum):
    """Where a report is in its life (core.reports.lifecycle moves it)."""

    TRIAGE = "triage"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    REFERRED = "referred"
    # Joined an existing case (core/reports/merging.py): its citizen follows that case.
    MERGED = "merged"


# Timeline events for the department's staff only: never in a public timeline, Open311, an
# export, a webhook or a message to the citizen (core/reports/assignment.py, notes.py).
# "urgent_unanswered": nobody acted in time on an urgent report (core/reports/emergency.py).
STAFF_ONLY_EVENTS = frozenset({"assigned", "unassigned", "noted", "urgent_unanswered"})

# How much time is left, as the queue colours it (core.reports.queue.time_band).
Band = Literal["overdue", "today", "soon", "later"]


class DepartmentRef(msgspec.Struct, frozen=True, kw_only=True):
    """A department by code and name, as a report or a line of figures names it, for anyone."""

    code: str
    name: str


class PolicyRef(msgspec.Struct, frozen=True, kw_only=True):
    """A policy as a report names it, for anyone."""

    code: str
    title: str


class Point(msgspec.Struct, frozen=True, kw_only=True):
    """A place, WGS84."""

    lat: float
    lon: float


class ReportRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A report's columns as the lifecycle reads and writes them (never its follow-up key):
    what a transition returns, for core and the doors that act on a report. `citizen`,
    `department`, `policy` and `ladder` are the ids the columns hold."""

    id: int
    tracking_code: str
    text: str
    status: Status
    channel: str
    citizen: int | None
    department: int | None
    policy: int | None
    stance: str | None
    anonymous: bool
    confidential: bool
    urgent: bool
    latitude: float | None
    longitude: float | None
    address: str | None
    confidence: float | None
    needs_field_work: bool
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    ladder: int | None
    reopen_count: int
    reroute_count: int
    rating: int | None
    assignee: int | None = None
    # The kecamatan of Kota Malang (core.place), when its point or address tells.
    kecamatan: str | None = None
    # The outside authority the classifier named (core.routing.referrals), on triage reports.
    suggested_referral: str | None = None
    # The outside authority it was referred to by code (lifecycle.refer_to_authority).
    referred_to: str | None = None
    # The case it was merged into (core/reports/merging.py), while its status is merged.
    merged_into: int | None = None


class SubmittedReport(ReportRecord, frozen=True, kw_only=True):
    """What submission returns to the door that took the report: the stored report and, for
    the channels that get one (web, API), the follow-up key, shown this once."""

    follow_up_key: str | None
    # The department it was routed to, as its sender is told (None in triage).
    routed_to: DepartmentRef | None = None
    # Who was alerted of an urgent report at once (core/reports/emergency.py ALERTED), or None.
    alerted: str | None = None
    # An open public case of the department this report very likely repeats
    # (core/reports/duplicates.py): its sender may join it (core/reports/follow_up.py join).
    possible_case: str | None = None


class TimelineEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One event of a report's public timeline: no actor, no internal detail."""

    event: str
    status: Status | None
    at: datetime
    department: DepartmentRef | None
    note: str | None


class PublicReport(msgspec.Struct, frozen=True, kw_only=True):
    """What anyone holding the tracking code may see (the public API, the tracking page, the
    bot's status): no personal data, the place as core.reports.disclosure allows. This is the
    JSON of GET /api/v1/reports/{code}."""

    tracking_code: str
    status: Status
    department: DepartmentRef | None
    urgent: bool
    created_at: datetime
    due_at: datetime | None
    text: str | None
    address: str | None
    location: Point | None
    policy: PolicyRef | None
    stance: str | None
    rating: int | None
    timeline: list[TimelineEntry]
    # Paths of the report's photos, when core.reports.disclosure publishes them.
    photos: list[str] = []
    # Where a referred report went and how to reach them (core.routing.referrals): set when a
    # known authority was picked, not for a referral written as free text (see the timeline).
    referred_to: Referral | None = None
    # While it waits in triage: the outside authority the classifier thinks it belongs to,
    # which a verifier has yet to confirm.
    suggested_referral: Referral | None = None
    # How many citizens reported this case (itself and the reports merged into it), and the
    # case a merged report joined.
    reporters: int = 1
    merged_into: str | None = None


class TimelineEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event of a report's timeline as staff see it: who did it and the event's detail
    (open JSON: a reason, a rating, the deadline a ladder step was for, ...)."""

    kind: str
    from_status: Status | None
    to_status: Status | None
    actor_kind: str
    actor_username: str | None
    department_code: str | None
    public_note: str | None
    detail: dict[str, Any]
    created_at: datetime


class PossibleDuplicate(msgspec.Struct, frozen=True, kw_only=True):
    """An open report of the same department that likely tells of the same problem, for staff
    (core/reports/duplicates.py): `score` 0–1, higher is likelier."""

    tracking_code: str
    text: str
    status: Status
    created_at: datetime
    score: float


class ReporterContact(msgspec.Struct, frozen=True, kw_only=True):
    """The name and contact a reporter left, for the department's staff."""

    name: str | None
    email: str | None
    phone: str | None


class StaffReport(msgspec.Struct, frozen=True, kw_only=True):
    """One report as the department's staff see it: everything but who sent it (only whether
    they can be told of changes), its whole timeline and similar open reports."""

    id: int
    tracking_code: str
    text: str
    status: Status
    channel: str
    department: int | None
    department_code: str | None
    department_name: str | None
    policy: int | None
    policy_code: str | None
    policy_title: str | None
    stance: str | None
    anonymous: bool
    confidential: bool
    urgent: bool
    latitude: float | None
    longitude: float | None
    address: str | None
    confidence: float | None
    needs_field_work: bool
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    reroute_count: int
    rating: int | None
    escalation_level: int
    # Who of the department carries it (core/reports/assignment.py).
    assignee: int | None
    assignee_username: str | None
    reached_by: Reach
    # Who sent it, so staff can ask for details: only when the report is neither anonymous
    # nor confidential (core/reports/disclosure.py's rule for staff).
    reporter: ReporterContact | None
    band: Band | None
    timeline: list[TimelineEvent]
    possible_duplicates: list[PossibleDuplicate]
    suggested_referral: str | None = None  # see ReportRecord
    referred_to: str | None = None  # see ReportRecord
    # Read by a department that handled it before it was re-routed away: read-only for them
    # (core.reports.queue.as_read_by).
    handled_before: bool = False
    # The case it joined (status merged), and how many citizens' reports make up this case.
    merged_into_code: str | None = None
    reporters: int = 1

    @property
    def reachable(self) -> bool:
        """Whether the citizen hears of the report's changes at all."""
        return self.reached_by in (Reach.TELEGRAM, Reach.EMAIL)


class QueueItem(msgspec.Struct, frozen=True, kw_only=True):
    """One row of a queue (a department's, triage, a head's overdue and escalated lists)."""

    id: int
    tracking_code: str
    text: str
    status: Status
    urgent: bool
    due_at: datetime | None
    created_at: datetime
    resolved_at: datetime | None
    address: str | None
    escalation_level: int
    needs_field_work: bool
    confidence: float | None
    policy_code: str | None
    band: Band | None
    # The username of who of the department carries it.
    assignee: str | None = None
    # The department it is with now (another one for a report re-routed away).
    department: int | None
    # The last change (the `activity` order).
    updated_at: datetime
    # How often the citizen said "not fixed".
    reopen_count: int
    # The outside authority the classifier suggests (triage reports; core.routing.referrals).
    suggested_referral: str | None = None

    @property
    def reopened(self) -> bool:
        return self.reopen_count > 0


class QueuePage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of a queue, for staff: its items, how many in all, and the time it was read."""

    items: list[QueueItem]
    total: int
    page: int
    page_size: int
    now: datetime
    # A word search counts only up to core.reports.queue.SEARCH_COUNT_CAP.
    total_is_capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class OfficerLoad(msgspec.Struct, frozen=True, kw_only=True):
    """One member of a department's staff and what they carry, for the head."""

    id: int
    username: str
    full_name: str
    role: str
    in_progress: int
    recent_actions: int
    # Reports still open (core.reports.queue.QUEUE_STATUSES) given to them.
    assigned: int = 0


class DepartmentOverview(msgspec.Struct, frozen=True, kw_only=True):
    """For the head of a department: what is overdue, what has escalated, who carries what."""

    now: datetime
    open_total: int
    overdue: list[QueueItem]
    overdue_total: int
    escalated: list[QueueItem]
    escalated_total: int
    load: list[OfficerLoad]
    # Open reports nobody carries yet.
    unassigned_total: int = 0


class ResolvedExample(msgspec.Struct, frozen=True, kw_only=True):
    """A recently resolved report with the city's answer, for the public pages."""

    id: int
    tracking_code: str
    text: str
    resolved_at: datetime
    department_code: str | None
    department_name: str | None
    answer: str | None


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """A photo sent with a report, as officers and the department's messages get it: its
    number (from 1, the order it came in); for a Telegram photo, the file id Telegram keeps it
    under ("" for a photo from the web form, whose bytes are in the database)."""

    kind: str
    number: int
    file_id: str


class StoredPhoto(msgspec.Struct, frozen=True, kw_only=True):
    """A photo kept in the database: re-encoded, without metadata."""

    content_type: str
    data: bytes


class SavedReply(msgspec.Struct, frozen=True, kw_only=True):
    """A reply template of a department, for its officers to start an answer from; its body
    may hold the placeholders of core.reports.reply_templates.PLACEHOLDERS."""

    id: int
    title: str
    body: str


class PolicyDecision(PolicyView, frozen=True, kw_only=True):
    """A policy under review or decided, for the public pages ("you said, we did"), with its
    latest review: how many citizens objected and about what, what was decided, why, and what
    changes from when; None when its status was set by hand."""

    review: ReviewView | None


class LinkablePolicy(msgspec.Struct, frozen=True, kw_only=True):
    """A policy a report may name (known, not revoked), for submission and re-linking."""

    id: int
    code: str


class EmergencyContact(msgspec.Struct, frozen=True, kw_only=True):
    """One of the city's emergency lines, told first to a citizen whose report is urgent;
    `name` is a msgid of the catalogue."""

    name: str
    number: str
