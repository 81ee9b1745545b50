"""The officer's pages: the department queue, one report in full, and the actions on it."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import StaffUser, flash
from api.guards import (
    QUEUE_ROLES,
    SIGNED_IN,
    STAFF_ROLES,
    SignedInUser,
    allow,
    working_department,
)
from api.pages.base import (
    PageController,
    flash_ok,
    local_path,
    page_language,
    photo_response,
    render,
    see_other,
)
from api.pages.forms import FORM, Cut, PageForm, Several, require_confirmation, several
from api.pages.names import DONE_NAMES, REFERRED_TO_DONE
from core.catalogue.public import list_departments, list_policies
from core.errors import DomainError, IllegalTransition, InvalidInput
from core.place.boundaries import KECAMATAN
from core.policies.links import may_link
from core.reports import assignment, bulk, merging, notes, reply_templates, staff_actions
from core.reports.attachments import report_attachments, staff_photo
from core.reports.bulk import BulkOutcome
from core.reports.lifecycle import FINAL_ACTIONS
from core.reports.models import ReportRecord, StaffReport
from core.reports.queue import (
    ARCHIVE,
    ARCHIVE_STATUSES,
    ASSIGNED_TO_ME,
    FILTERABLE_STATUSES,
    REROUTED_AWAY,
    SORT_NAMES,
    SORTS,
    UNASSIGNED,
    QueueFilters,
    as_read_by,
    department_queue,
    staff_report,
)
from core.reports.tracking import normalize_code
from core.routing.referrals import referral
from core.staff.actors import Actor
from core.staff.permissions import may_act_as_head_of, may_act_on_department, may_assign, may_note
from db.tables import Department
from i18n import N_, gettext

_FLAG = {"1", "on", "true", "yes"}


class ActionForm(PageForm):
    """`note`: the answer, reason or referral; `department`: for route and reroute; `to`: for
    refer, the code of a known outside authority instead of a note; `confirm`: ticked for a
    final action (reject, refer)."""

    note: Annotated[str, Cut(8000)] = ""
    department: Annotated[str, Cut(40)] = ""
    to: Annotated[str, Cut(40)] = ""
    confirm: Annotated[str, Cut(10)] = ""


class AssignForm(PageForm):
    """`officer`: a username of the department's staff; empty gives the report to nobody."""

    officer: Annotated[str, Cut(64)] = ""


class MergeForm(PageForm):
    """`into`: the tracking code of the case the report joins; `confirm`: ticked."""

    into: Annotated[str, Cut(40)] = ""
    confirm: Annotated[str, Cut(10)] = ""


class ConfirmForm(PageForm):
    confirm: Annotated[str, Cut(10)] = ""


class NoteForm(PageForm):
    text: Annotated[str, Cut(8000)] = ""


class BulkForm(PageForm):
    """The ticked reports (`codes`), and where to send them, whom to give them to, or the case
    they repeat (`into`, with `confirm` ticked); `back`: the queue to return to."""

    codes: Several = ""
    department: Annotated[str, Cut(40)] = ""
    officer: Annotated[str, Cut(64)] = ""
    into: Annotated[str, Cut(40)] = ""
    confirm: Annotated[str, Cut(10)] = ""
    back: Annotated[str, Cut(1000)] = ""


def tell_outcomes(request: Request[Any, Any, Any], outcomes: list[BulkOutcome]) -> None:
    """One line per report of a bulk action on the staff member's next page."""
    for outcome in outcomes:
        kind = "ok" if outcome.done else "error"
        texts = [gettext(lang, outcome.msgid, **outcome.values) for lang in ("id", "en")]
        if not outcome.done:
            texts = [f"{outcome.tracking_code}: {text}" for text in texts]
        flash(request, kind, texts[0], texts[1])


def _assignment_choices(actor: Actor, report: StaffReport, staff: list[Any]) -> dict[str, Any]:
    """What the report page offers about who carries the report: a head picks anyone of the
    department, an officer may take it or let go of it (core.staff.permissions.may_assign)."""
    if report.status not in assignment.ASSIGNABLE or report.department is None:
        return {"open": False}

    def allowed(officer_id: int | None) -> bool:
        return may_assign(
            actor,
            department_id=report.department,
            officer_id=officer_id,
            current_id=report.assignee,
        )

    return {
        "open": True,
        "pick": may_act_as_head_of(actor, report.department),
        "staff": staff,
        "take": actor.user_id != report.assignee and allowed(actor.user_id),
        "release": report.assignee is not None and allowed(None),
    }


def _flag(value: str | None) -> bool:
    return (value or "").lower() in _FLAG


_QUEUE_KEYS = frozenset(
    {
        "department",
        "status",
        "overdue",
        "urgent",
        "policy",
        "kecamatan",
        "q",
        "assigned",
        "sort",
        "page",
    }
)
_DEPARTMENT_CODE = re.compile(r"[A-Za-z0-9_]{1,40}")
_BACK_MAX = 1000


def queue_query(raw: str | None) -> str:
    """The queue's filters and order, from a query string, as the query string of the way back
    to the queue: only the queue's own parameters, each valid, encoded anew; anything else
    (or anything invalid) gives the queue's first page. The way back is always /officer."""
    if not raw or len(raw) > _BACK_MAX:
        return ""
    try:
        pairs = parse_qsl(raw, max_num_fields=2 * len(_QUEUE_KEYS))
    except ValueError:
        return ""
    params = {key: value for key, value in pairs if key in _QUEUE_KEYS}
    page = params.get("page", "1")
    department = params.get("department", "").strip()
    if (
        not page.isdecimal()
        or len(page) > 5
        or (department and not _DEPARTMENT_CODE.fullmatch(department))
    ):
        return ""
    try:
        filters = QueueFilters(
            status=params.get("status"),
            overdue=_flag(params.get("overdue")),
            urgent=_flag(params.get("urgent")),
            policy=params.get("policy"),
            kecamatan=params.get("kecamatan"),
            search=params.get("q"),
            assigned=params.get("assigned"),
            page=int(page),
            sort=params.get("sort"),
        ).cleaned()
    except InvalidInput:
        return ""
    kept = [
        ("department", department.upper()),
        ("status", filters.status),
        ("overdue", "1" if filters.overdue else None),
        ("urgent", "1" if filters.urgent else None),
        ("policy", filters.policy),
        ("kecamatan", filters.kecamatan),
        ("q", filters.search),
        ("assigned", filters.assigned),
        ("sort", filters.sort),
        ("page", str(filters.page) if filters.page > 1 else None),
    ]
    return urlencode([(key, value) for key, value in kept if value])


def queue_path(back: str) -> str:
    """The queue with the filters `back` (from queue_query) keeps."""
    return f"/officer?{back}" if back else "/officer"


async def report_page(
    request: Request[Any, Any, Any],
    user: StaffUser,
    code: str,
    *,
    status_code: int = 200,
    form_error: dict[str, str] | None = None,
    back: str | None = None,
) -> Template:
    """The report page; also re-shown with the error when an action was refused. `back`: the
    query string of the queue the officer came from (checked by queue_query). A department
    that handled the report before a re-route reads it without actions."""
    report = await as_read_by(user.actor, await staff_report(code))
    if report is None:
        raise PermissionDeniedException()
    back_query = queue_query(back)
    actions = [] if report.handled_before else staff_actions.available(user.actor, report)
    staff = (
        await assignment.assignees(report.department)
        if report.department and not report.handled_before
        else []
    )
    return await render(
        request,
        "officer/report.html",
        status_code=status_code,
        report=report,
        actions=actions,
        final_actions=FINAL_ACTIONS,
        back=back_query,
        back_path=queue_path(back_query),
        departments=await list_departments(),
        templates=await reply_templates.for_report(
            department_id=report.department,
            tracking_code=report.tracking_code,
            due_at=report.due_at,
        )
        if report.department and actions
        else [],
        assigning=_assignment_choices(user.actor, report, staff),
        may_note=may_note(user.actor, report.department),
        photos=await report_attachments(report_id=report.id),
        form_error=form_error or {},
        # The policy link form (api/pages/policy_reviews.py): not revoked policies only.
        may_link=may_link(user.actor, report.department),
        may_merge=not report.handled_before
        and merging.may_merge(user.actor, department_id=report.department, status=report.status),
        may_unmerge=merging.may_unmerge(
            user.actor, department_id=report.department, status=report.status
        ),
        linkable_policies=await list_policies(include_revoked=False),
    )


async def act(
    request: Request[Any, Any, Any], user: StaffUser, code: str, action: str, data: ActionForm
) -> tuple[ReportRecord | None, dict[str, str]]:
    """Take the action a form posted: (the report after it, {}) or (None, what went wrong)."""
    try:
        if action in FINAL_ACTIONS:
            require_confirmation(data.confirm)
        report = await staff_actions.take(
            action=action,
            tracking_code=code,
            actor=user.actor,
            note=data.note or None,
            department_code=data.department or None,
            referral_code=data.to or None,
        )
    except (InvalidInput, IllegalTransition) as error:
        return None, form_error(request, action, error, note=data.note, confirm=data.confirm)
    return report, {}


def form_error(
    request: Request[Any, Any, Any], action: str, error: DomainError, **kept: str
) -> dict[str, str]:
    """What a page shows of a refused action: why, in the visitor's language; the status to
    answer (409 when the report's state no longer allows it, 400 for bad input); and what the
    form held (`kept`), so nothing typed is lost."""
    return {
        "status": "409" if isinstance(error, IllegalTransition) else "400",
        "action": action,
        "message": error.message(page_language(request)),
        **kept,
    }


async def refused(
    request: Request[Any, Any, Any],
    user: StaffUser,
    code: str,
    error: dict[str, str],
    *,
    back: str | None = None,
) -> Template:
    """The report page again, saying why the action (`error`, from form_error) was refused."""
    return await report_page(
        request, user, code, status_code=int(error["status"]), form_error=error, back=back
    )


async def _done_values(report: ReportRecord) -> dict[str, str]:
    department = (
        await Department.select(Department.name).where(Department.id == report.department).first()
        if report.department
        else None
    )
    authority = referral(report.referred_to)
    return {
        "code": report.tracking_code,
        "department": department["name"] if department else "",
        "authority": authority.short_name if authority else "",
    }


def _done_text(action: str, report: ReportRecord) -> str:
    return REFERRED_TO_DONE if action == "refer" and report.referred_to else DONE_NAMES[action]


async def done_message(action: str, report: ReportRecord, lang: str) -> str:
    """'Report MLG-… sent to Dinas …' in `lang`."""
    return gettext(lang, _done_text(action, report), **await _done_values(report))


async def announce(request: Request[Any, Any, Any], action: str, report: ReportRecord) -> None:
    """Tell the staff member on their next page that the action went through."""
    flash_ok(request, _done_text(action, report), **await _done_values(report))


class OfficerPages(PageController):
    path = "/officer"
    dependencies = SIGNED_IN

    @get("/", guards=[allow(QUEUE_ROLES)])
    async def queue(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        department: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        overdue: FromQuery[str | None] = None,
        urgent: FromQuery[str | None] = None,
        policy: FromQuery[str | None] = None,
        kecamatan: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        assigned: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
        sort: FromQuery[str | None] = None,
    ) -> Template:
        working = await working_department(user, department)
        filters = QueueFilters(
            status=status,
            overdue=_flag(overdue),
            urgent=_flag(urgent),
            policy=policy,
            kecamatan=kecamatan,
            search=q,
            assigned=assigned,
            page=page,
            sort=sort,
        )
        result = (
            await department_queue(department_id=working["id"], filters=filters, viewer_id=user.id)
            if working
            else None
        )
        # A head (or an admin) acts on several reports at once: gives them to one of the
        # staff, or marks them as duplicates of one case.
        bulk_actions = working is not None and may_act_as_head_of(user.actor, working["id"])
        bulk_staff = await assignment.assignees(working["id"]) if working and bulk_actions else []
        return await render(
            request,
            "officer/queue.html",
            department=working,
            departments=await list_departments() if working is None else [],
            filters=filters.cleaned(),
            result=result,
            statuses=FILTERABLE_STATUSES,
            archive=ARCHIVE,
            archive_statuses=ARCHIVE_STATUSES,
            rerouted_away=REROUTED_AWAY,
            sorts=SORTS,
            sort_names=SORT_NAMES,
            back=queue_query(request.url.query),
            kecamatan=KECAMATAN,
            policies=await list_policies(),
            assigned_choices=(ASSIGNED_TO_ME, UNASSIGNED),
            bulk_actions=bulk_actions,
            bulk_staff=bulk_staff,
        )

    @get("/reports/{code:str}", guards=[allow(STAFF_ROLES)])
    async def report(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        back: FromQuery[str | None] = None,
    ) -> Template:
        return await report_page(request, user, code, back=back)

    @get("/reports/{code:str}/photos/{number:int}", guards=[allow(STAFF_ROLES)])
    async def photo(
        self, user: SignedInUser, code: FromPath[str], number: FromPath[int]
    ) -> Response[bytes]:
        """A photo from the web form, for the staff who may read the report."""
        found = await staff_photo(tracking_code=code[:40], number=number, actor=user.actor)
        return photo_response(found, cache_control="private, max-age=86400")

    @post("/reports/{code:str}/{action:str}", guards=[allow(STAFF_ROLES)])
    async def action(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        action: FromPath[str],
        data: Annotated[ActionForm, FORM],
        back: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        report, error = await act(request, user, code, action, data)
        if report is None:
            return await refused(request, user, code, error, back=back)
        await announce(request, action, report)
        back_query = queue_query(back)
        if not may_act_on_department(user.actor, report.department):
            # Re-routed away: no longer in this queue.
            return see_other(queue_path(back_query))
        return see_other(
            f"/officer/reports/{report.tracking_code}"
            + (f"?{urlencode({'back': back_query})}" if back_query else "")
        )

    @post("/reports/{code:str}/merge", guards=[allow(STAFF_ROLES)])
    async def merge(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[MergeForm, FORM],
    ) -> Template | Redirect:
        """This report joins the case `into`; confirmed like a final action."""
        try:
            require_confirmation(data.confirm)
            report = await merging.merge(tracking_code=code, into=data.into, actor=user.actor)
        except (InvalidInput, IllegalTransition) as error:
            return await refused(request, user, code, form_error(request, "merge", error))
        flash_ok(
            request,
            N_("Laporan %(code)s digabungkan ke %(case)s."),
            code=report.tracking_code,
            case=normalize_code(data.into),  # a code, or merging would have refused it
        )
        return see_other(f"/officer/reports/{report.tracking_code}")

    @post("/reports/{code:str}/unmerge", guards=[allow(STAFF_ROLES)])
    async def unmerge(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[ConfirmForm, FORM],
    ) -> Template | Redirect:
        try:
            require_confirmation(data.confirm)
            report = await merging.unmerge(tracking_code=code, actor=user.actor)
        except (InvalidInput, IllegalTransition) as error:
            return await refused(request, user, code, form_error(request, "unmerge", error))
        flash_ok(request, N_("Laporan %(code)s dipisahkan kembali."), code=report.tracking_code)
        return see_other(f"/officer/reports/{report.tracking_code}")

    @post("/reports/{code:str}/assign", guards=[allow(QUEUE_ROLES)])
    async def assign(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[AssignForm, FORM],
    ) -> Template | Redirect:
        officer = data.officer.strip() or None
        try:
            report = await assignment.assign(tracking_code=code, officer=officer, actor=user.actor)
        except (InvalidInput, IllegalTransition) as error:
            return await refused(request, user, code, form_error(request, "assign", error))
        if officer is None:
            flash_ok(
                request, N_("Laporan %(code)s tidak lagi ditugaskan."), code=report.tracking_code
            )
        else:
            flash_ok(
                request,
                N_("Laporan %(code)s ditugaskan kepada %(officer)s."),
                code=report.tracking_code,
                officer=officer.lower(),
            )
        return see_other(f"/officer/reports/{report.tracking_code}")

    @post("/reports/{code:str}/notes", guards=[allow(STAFF_ROLES)])
    async def note(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[NoteForm, FORM],
    ) -> Template | Redirect:
        try:
            await notes.add_note(tracking_code=code, text=data.text, actor=user.actor)
        except InvalidInput as error:
            return await refused(
                request, user, code, form_error(request, "note", error, note=data.text)
            )
        flash_ok(request, N_("Catatan internal disimpan."))
        report = await staff_report(code)
        return see_other(f"/officer/reports/{report.tracking_code}")

    @post("/bulk/assign", guards=[allow(QUEUE_ROLES)])
    async def bulk_assign(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[BulkForm, FORM],
    ) -> Redirect:
        """Give the ticked reports to one officer (or to nobody): each report on its own, so a
        refused one does not undo the others; the queue then says what happened to each."""
        try:
            outcomes = await bulk.assign(
                codes=several(data.codes), officer=data.officer.strip() or None, actor=user.actor
            )
        except DomainError as error:
            outcomes = []
            flash(request, "error", error.message("id"), error.message("en"))
        tell_outcomes(request, outcomes)
        return see_other(local_path(data.back, "/officer"))

    @post("/bulk/merge", guards=[allow(QUEUE_ROLES)])
    async def bulk_merge(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[BulkForm, FORM],
    ) -> Redirect:
        """Mark the ticked reports as duplicates of one case, confirmed like a single merge;
        each report on its own, and the queue then says what happened to each."""
        try:
            require_confirmation(data.confirm)
            outcomes = await bulk.merge(codes=several(data.codes), into=data.into, actor=user.actor)
        except DomainError as error:
            outcomes = []
            flash(request, "error", error.message("id"), error.message("en"))
        tell_outcomes(request, outcomes)
        return see_other(local_path(data.back, "/officer"))
