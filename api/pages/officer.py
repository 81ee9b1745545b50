"""The officer's pages: the department queue, one report in full, and the actions on it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import StaffUser
from api.guards import (
    QUEUE_ROLES,
    SIGNED_IN,
    STAFF_ROLES,
    SignedInUser,
    allow,
    ensure_may_read,
    working_department,
)
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from api.pages.forms import FORM, Cut, PageForm
from api.pages.names import DONE_NAMES
from core.catalogue.public import list_departments, list_policies
from core.errors import IllegalTransition, InvalidInput
from core.place.boundaries import KECAMATAN
from core.policies.links import may_link
from core.reports import reply_templates, staff_actions
from core.reports.attachments import report_attachments
from core.reports.models import ReportRecord
from core.reports.queue import (
    FILTERABLE_STATUSES,
    QueueFilters,
    department_queue,
    staff_report,
)
from db.tables import Department
from i18n import gettext

_FLAG = {"1", "on", "true", "yes"}


class ActionForm(PageForm):
    """`note`: the answer, reason or referral; `department`: for route and reroute."""

    note: Annotated[str, Cut(8000)] = ""
    department: Annotated[str, Cut(40)] = ""


def _flag(value: str | None) -> bool:
    return (value or "").lower() in _FLAG


async def report_page(
    request: Request[Any, Any, Any],
    user: StaffUser,
    code: str,
    *,
    status_code: int = 200,
    form_error: dict[str, str] | None = None,
) -> Template:
    """The report page; also re-shown with the error when an action was refused."""
    report = await staff_report(code)
    ensure_may_read(user, report.department)
    return await render(
        request,
        "officer/report.html",
        status_code=status_code,
        report=report,
        actions=staff_actions.available(user.actor, report),
        departments=await list_departments(),
        templates=await reply_templates.for_department(report.department)
        if report.department
        else [],
        photos=await report_attachments(report_id=report.id),
        form_error=form_error or {},
        # The policy link form (api/pages/policy_reviews.py): not revoked policies only.
        may_link=may_link(user.actor, report.department),
        linkable_policies=await list_policies(include_revoked=False),
    )


async def act(
    request: Request[Any, Any, Any], user: StaffUser, code: str, action: str, form: ActionForm
) -> tuple[ReportRecord | None, dict[str, str]]:
    """Take the action a form posted: (the report after it, {}) or (None, what went wrong)."""
    try:
        report = await staff_actions.take(
            action=action,
            tracking_code=code,
            actor=user.actor,
            note=form.note or None,
            department_code=form.department or None,
        )
    except (InvalidInput, IllegalTransition) as error:
        return None, {
            "status": "409" if isinstance(error, IllegalTransition) else "400",
            "action": action,
            "field": error.field or "note",
            "message": error.message(page_language(request)),
            "note": form.note,
        }
    return report, {}


async def _done_values(report: ReportRecord) -> dict[str, str]:
    department = (
        await Department.select(Department.name).where(Department.id == report.department).first()
        if report.department
        else None
    )
    return {"code": report.tracking_code, "department": department["name"] if department else ""}


async def done_message(action: str, report: ReportRecord, lang: str) -> str:
    """'Report MLG-… sent to Dinas …' in `lang`."""
    return gettext(lang, DONE_NAMES[action], **await _done_values(report))


async def announce(request: Request[Any, Any, Any], action: str, report: ReportRecord) -> None:
    """Tell the staff member on their next page that the action went through."""
    flash_ok(request, DONE_NAMES[action], **await _done_values(report))


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
        page: FromQuery[int] = 1,
    ) -> Template:
        working = await working_department(user, department)
        filters = QueueFilters(
            status=status,
            overdue=_flag(overdue),
            urgent=_flag(urgent),
            policy=policy,
            kecamatan=kecamatan,
            search=q,
            page=page,
        )
        result = (
            await department_queue(department_id=working["id"], filters=filters)
            if working
            else None
        )
        return await render(
            request,
            "officer/queue.html",
            department=working,
            departments=await list_departments() if working is None else [],
            filters=filters.cleaned(),
            result=result,
            statuses=FILTERABLE_STATUSES,
            kecamatan=KECAMATAN,
            policies=await list_policies(),
        )

    @get("/reports/{code:str}", guards=[allow(STAFF_ROLES)])
    async def report(
        self, request: Request[Any, Any, Any], user: SignedInUser, code: FromPath[str]
    ) -> Template:
        return await report_page(request, user, code)

    @post("/reports/{code:str}/{action:str}", guards=[allow(STAFF_ROLES)])
    async def action(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        action: FromPath[str],
        data: Annotated[ActionForm, FORM],
    ) -> Template | Redirect:
        report, error = await act(request, user, code, action, data)
        if report is None:
            return await report_page(
                request, user, code, status_code=int(error["status"]), form_error=error
            )
        await announce(request, action, report)
        try:
            ensure_may_read(user, report.department)
        except PermissionDeniedException:  # re-routed away: the officer no longer sees it
            return see_other("/officer")
        return see_other(f"/officer/reports/{report.tracking_code}")
