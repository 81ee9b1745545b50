"""The staff JSON API: sign in, the signed-in officer's queue, triage, one report, actions.

The same session cookie and the same guards as the pages. These endpoints take JSON only,
which a cross-site form cannot send without a CORS preflight this app never grants; with the
SameSite session cookie that is why they need no CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from litestar.types import BeforeRequestHookHandler
from msgspec import Meta

from api.auth import StaffUser, require_user, sign_in, sign_out
from api.guards import (
    QUEUE_ROLES,
    SIGNED_IN,
    STAFF_ROLES,
    TRIAGE_ROLES,
    SignedInUser,
    allow,
    working_department,
)
from api.hooks import require_json
from api.schemas import DepartmentRef, ErrorBody, Point, PolicyRef
from core.errors import InvalidInput
from core.reports import assignment, merging, notes, staff_actions
from core.reports.lifecycle import NOTE_MAX, UNACKNOWLEDGED
from core.reports.models import QueuePage, ReporterContact, StaffReport
from core.reports.queue import (
    SORTS,
    QueueFilters,
    as_read_by,
    department_queue,
    staff_report,
    triage_queue,
)
from core.routing.referrals import referral
from core.staff.accounts import authenticate
from i18n import N_


class SignIn(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, Meta(max_length=64)]
    password: Annotated[str, Meta(max_length=200)]


class ActionIn(msgspec.Struct, forbid_unknown_fields=True):
    """`note`: the answer, reason or referral the action needs; `department`: for route and
    reroute, the department code; `to`: for refer, the code of a known outside authority
    (core.routing.referrals: PLN, POLRESTA, …), whose name and contact the citizen is given,
    instead of a `note` saying where to go."""

    note: Annotated[str, Meta(max_length=NOTE_MAX)] | None = None
    department: Annotated[str, Meta(max_length=40)] | None = None
    to: Annotated[str, Meta(max_length=40)] | None = None


class AssignIn(msgspec.Struct, forbid_unknown_fields=True):
    """`officer`: the username of one of the department's active officers, or null to give
    the report to nobody."""

    officer: Annotated[str, Meta(max_length=64)] | None


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """An internal note: staff only, never shown to the citizen or the public."""

    text: Annotated[str, Meta(max_length=NOTE_MAX)]


class StaffOut(msgspec.Struct):
    username: str
    full_name: str
    role: str
    department: str | None


class QueueItemOut(msgspec.Struct):
    tracking_code: str
    text: str
    status: str
    urgent: bool
    # Whether the department has acknowledged it (core.reports.lifecycle.UNACKNOWLEDGED).
    acknowledged: bool
    # Whether the citizen said "not fixed" (and how often).
    reopened: bool
    reopen_count: int
    # Re-routed away to another department (listed in the archive of the one before).
    rerouted_away: bool
    due_at: datetime | None
    time_left: str | None  # overdue | today | soon | later
    created_at: datetime
    last_activity_at: datetime
    address: str | None
    policy: str | None
    escalation_level: int
    needs_field_work: bool
    assignee: str | None  # the username of who carries it


class QueueOut(msgspec.Struct):
    department: DepartmentRef | None
    # The order the items are in (core.reports.queue.SORTS); null for triage.
    sort: str | None
    total: int
    total_is_capped: bool  # a word search counts up to core.reports.queue.SEARCH_COUNT_CAP
    page: int
    pages: int
    items: list[QueueItemOut]


class EventOut(msgspec.Struct):
    event: str
    status: str | None
    at: datetime
    actor: str | None
    department: str | None
    note: str | None
    reason: str | None
    # Staff only: an internal note's text; who a report was given to (or taken from).
    internal_note: str | None
    officer: str | None


class ReferralOut(msgspec.Struct):
    code: str
    name: str
    phone: str | None
    website: str


class StaffReportOut(msgspec.Struct):
    tracking_code: str
    status: str
    text: str
    urgent: bool
    department: DepartmentRef | None
    policy: PolicyRef | None
    address: str | None
    location: Point | None
    anonymous: bool
    confidential: bool
    citizen_notified: bool
    # telegram | email (confirmed) | email_unconfirmed | nobody
    citizen_reached_by: str
    # Name and contact, for asking details: null for anonymous and confidential reports.
    reporter: ReporterContact | None
    created_at: datetime
    due_at: datetime | None
    time_left: str | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    escalation_level: int
    needs_field_work: bool
    assignee: str | None
    reopen_count: int
    # Read by a department that handled it before a re-route: read-only, no actions.
    read_only: bool
    actions: list[str]
    timeline: list[EventOut]
    # Open reports of the department likely about the same problem, best first.
    possible_duplicates: list[DuplicateOut]
    # The case this report was merged into (status merged), and how many citizens reported
    # this case (itself and the reports merged into it).
    merged_into: str | None
    reporters: int
    # The outside authority the classifier suggests referring a triage report to.
    suggested_referral: ReferralOut | None = None
    # The outside authority it was referred to, when one was picked by its code.
    referred_to: ReferralOut | None = None


class DuplicateOut(msgspec.Struct, frozen=True, kw_only=True):
    tracking_code: str
    score: float


class MergeIn(msgspec.Struct, forbid_unknown_fields=True):
    """The case (tracking code) the report joins."""

    into: Annotated[str, Meta(max_length=40)]


def _staff_out(user: StaffUser) -> StaffOut:
    return StaffOut(
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        department=user.department_code,
    )


def _queue_out(
    page: QueuePage, department: dict[str, Any] | None, *, sort: str | None = None
) -> QueueOut:
    return QueueOut(
        department=DepartmentRef(code=department["code"], name=department["name"])
        if department
        else None,
        sort=sort,
        total=page.total,
        total_is_capped=page.total_is_capped,
        page=page.page,
        pages=page.pages,
        items=[
            QueueItemOut(
                tracking_code=item.tracking_code,
                text=item.text,
                status=item.status,
                urgent=item.urgent,
                acknowledged=item.status not in UNACKNOWLEDGED,
                reopened=item.reopened,
                reopen_count=item.reopen_count,
                rerouted_away=department is not None and item.department != department["id"],
                due_at=item.due_at,
                time_left=item.band,
                created_at=item.created_at,
                last_activity_at=item.updated_at,
                address=item.address,
                policy=item.policy_code,
                escalation_level=item.escalation_level,
                needs_field_work=item.needs_field_work,
                assignee=item.assignee,
            )
            for item in page.items
        ],
    )


def _referral_out(code: str | None) -> ReferralOut | None:
    found = referral(code)
    if found is None:
        return None
    return ReferralOut(
        code=found.code, name=found.short_name, phone=found.phone, website=found.website
    )


def _report_out(report: StaffReport, user: StaffUser) -> StaffReportOut:
    return StaffReportOut(
        tracking_code=report.tracking_code,
        status=report.status,
        text=report.text,
        urgent=report.urgent,
        department=DepartmentRef(code=report.department_code, name=report.department_name)
        if report.department_code and report.department_name
        else None,
        policy=PolicyRef(code=report.policy_code, title=report.policy_title)
        if report.policy_code and report.policy_title
        else None,
        address=report.address,
        location=Point(lat=report.latitude, lon=report.longitude)
        if report.latitude is not None and report.longitude is not None
        else None,
        anonymous=report.anonymous,
        confidential=report.confidential,
        citizen_notified=report.reachable,
        citizen_reached_by=report.reached_by,
        reporter=report.reporter,
        created_at=report.created_at,
        due_at=report.due_at,
        time_left=report.band,
        first_response_at=report.first_response_at,
        resolved_at=report.resolved_at,
        escalation_level=report.escalation_level,
        needs_field_work=report.needs_field_work,
        assignee=report.assignee_username,
        reopen_count=report.reopen_count,
        read_only=report.handled_before,
        actions=[] if report.handled_before else staff_actions.available(user.actor, report),
        timeline=[
            EventOut(
                event=event.kind,
                status=event.to_status,
                at=event.created_at,
                actor=event.actor_username,
                department=event.department_code,
                note=event.public_note,
                reason=event.detail.get("reason"),
                internal_note=event.detail.get("text") if event.kind == "noted" else None,
                officer=event.detail.get("officer"),
            )
            for event in report.timeline
        ],
        possible_duplicates=[
            DuplicateOut(tracking_code=other.tracking_code, score=other.score)
            for other in report.possible_duplicates
        ],
        merged_into=report.merged_into_code,
        reporters=report.reporters,
        suggested_referral=_referral_out(report.suggested_referral),
        referred_to=_referral_out(report.referred_to),
    )


_ERRORS = {
    400: ResponseSpec(ErrorBody, description="Invalid input, naming the field"),
    401: ResponseSpec(ErrorBody, description="Not signed in"),
    403: ResponseSpec(ErrorBody, description="Not for this role or department"),
}


class SessionApi(Controller):
    path = "/api/v1/session"
    tags = ["staff"]
    before_request: BeforeRequestHookHandler | None = require_json
    dependencies = SIGNED_IN

    @post(
        "/", status_code=HTTP_200_OK, summary="Sign in (sets the session cookie)", responses=_ERRORS
    )
    async def sign_in(self, request: Request[Any, Any, Any], data: JSONBody[SignIn]) -> StaffOut:
        user = await authenticate(username=data.username, password=data.password)
        await sign_in(request, user.id, user.session_version)
        return _staff_out(await require_user(request))

    @get("/", summary="Who is signed in", guards=[allow(STAFF_ROLES)], responses=_ERRORS)
    async def who(self, user: SignedInUser) -> StaffOut:
        return _staff_out(user)

    @delete("/", status_code=HTTP_204_NO_CONTENT, summary="Sign out")
    async def sign_out(self, request: Request[Any, Any, Any]) -> None:
        sign_out(request)


class StaffApi(Controller):
    path = "/api/v1"
    tags = ["staff"]
    before_request: BeforeRequestHookHandler | None = require_json
    dependencies = SIGNED_IN

    @get(
        "/queue",
        guards=[allow(QUEUE_ROLES)],
        summary="The signed-in officer's queue",
        responses=_ERRORS,
    )
    async def queue(
        self,
        user: SignedInUser,
        department: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        overdue: FromQuery[bool] = False,
        urgent: FromQuery[bool] = False,
        policy: FromQuery[str | None] = None,
        kecamatan: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        assigned: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
        sort: FromQuery[str | None] = None,
    ) -> QueueOut:
        """Officers and heads get their department's queue; an admin names a department.

        Without `status`: the open work (open, in progress). `status=archive`: what the
        department finished (closed, rejected, referred, merged) and what it handled before a
        re-route (`status=rerouted_away` for those alone). `sort`: `priority` (default: urgent
        reports not yet acknowledged first, then nearest deadline), `deadline`, `received`
        (newest first), `activity` (latest change first).
        `assigned`: `me` (the signed-in member's reports), `none` (nobody's), or a username."""
        working = await working_department(user, department)
        if working is None:
            raise InvalidInput(
                N_("Sebutkan perangkat daerah (department)."),
                field="department",
            )
        filters = QueueFilters(
            status=status,
            overdue=overdue,
            urgent=urgent,
            policy=policy,
            kecamatan=kecamatan,
            search=q,
            assigned=assigned,
            page=page,
            sort=sort,
        )
        return _queue_out(
            await department_queue(department_id=working["id"], filters=filters, viewer_id=user.id),
            working,
            sort=filters.cleaned().sort or SORTS[0],
        )

    @get("/triage", guards=[allow(TRIAGE_ROLES)], summary="The triage queue", responses=_ERRORS)
    async def triage(self, q: FromQuery[str | None] = None, page: FromQuery[int] = 1) -> QueueOut:
        return _queue_out(await triage_queue(page=page, search=q), None)

    @get(
        "/staff/reports/{tracking_code:str}",
        guards=[allow(STAFF_ROLES)],
        summary="One report as staff see it",
        responses=_ERRORS,
    )
    async def report(self, user: SignedInUser, tracking_code: FromPath[str]) -> StaffReportOut:
        # A department that handled it before a re-route reads it too, read-only.
        report = await as_read_by(user.actor, await staff_report(tracking_code))
        if report is None:
            raise PermissionDeniedException()
        return _report_out(report, user)

    @post(
        "/staff/reports/{tracking_code:str}/{action:str}",
        guards=[allow(STAFF_ROLES)],
        status_code=HTTP_200_OK,
        summary="Act on a report: acknowledge, respond, resolve, mark_field_work, reroute, "
        "reject, refer, route",
        responses={**_ERRORS, 409: ResponseSpec(ErrorBody, description="Not in this status")},
    )
    async def act(
        self,
        user: SignedInUser,
        tracking_code: FromPath[str],
        action: FromPath[str],
        data: JSONBody[ActionIn],
    ) -> StaffReportOut:
        changed = await staff_actions.take(
            action=action,
            tracking_code=tracking_code,
            actor=user.actor,
            note=data.note,
            department_code=data.department,
            referral_code=data.to,
        )
        # Authorised by the action itself: an officer who just re-routed a report still gets
        # its new state back, though they no longer see it afterwards.
        return _report_out(await staff_report(changed.tracking_code), user)

    @post(
        "/staff/reports/{tracking_code:str}/merge",
        guards=[allow(STAFF_ROLES)],
        status_code=HTTP_200_OK,
        summary="Merge a report into an open case of its department; its citizen follows the case",
        responses={**_ERRORS, 409: ResponseSpec(ErrorBody, description="Not in this status")},
    )
    async def merge(
        self, user: SignedInUser, tracking_code: FromPath[str], data: JSONBody[MergeIn]
    ) -> StaffReportOut:
        changed = await merging.merge(tracking_code=tracking_code, into=data.into, actor=user.actor)
        return _report_out(await staff_report(changed.tracking_code), user)

    @post(
        "/staff/reports/{tracking_code:str}/unmerge",
        guards=[allow(STAFF_ROLES)],
        status_code=HTTP_200_OK,
        summary="Undo a merge (the department's head, an admin): the report's status comes back",
        responses={**_ERRORS, 409: ResponseSpec(ErrorBody, description="Not merged")},
    )
    async def unmerge(self, user: SignedInUser, tracking_code: FromPath[str]) -> StaffReportOut:
        changed = await merging.unmerge(tracking_code=tracking_code, actor=user.actor)
        return _report_out(await staff_report(changed.tracking_code), user)

    @post(
        "/staff/reports/{tracking_code:str}/assign",
        guards=[allow(QUEUE_ROLES)],
        status_code=HTTP_200_OK,
        summary="Give a report to one of the department's officers, or to nobody (null)",
        responses={**_ERRORS, 409: ResponseSpec(ErrorBody, description="Not in this status")},
    )
    async def assign(
        self, user: SignedInUser, tracking_code: FromPath[str], data: JSONBody[AssignIn]
    ) -> StaffReportOut:
        changed = await assignment.assign(
            tracking_code=tracking_code, officer=data.officer, actor=user.actor
        )
        return _report_out(await staff_report(changed.tracking_code), user)

    @post(
        "/staff/reports/{tracking_code:str}/notes",
        guards=[allow(STAFF_ROLES)],
        status_code=HTTP_201_CREATED,
        summary="Add an internal note (staff only) to a report's timeline",
        responses=_ERRORS,
    )
    async def note(
        self, user: SignedInUser, tracking_code: FromPath[str], data: JSONBody[NoteIn]
    ) -> StaffReportOut:
        await notes.add_note(tracking_code=tracking_code, text=data.text, actor=user.actor)
        report = await staff_report(tracking_code)
        return _report_out(report, user)
