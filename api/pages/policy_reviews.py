"""Policy correction in the staff pages: a head's (or admin's) view of their department's
policies under pressure and under review, a review's page where the head publishes the
decision, leadership's view of every policy under pressure, and the officer's form that
links a report to a policy. Every rule is in core/; these are its doors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import require_user
from api.guards import HEAD_ROLES, LEADERSHIP_ROLES, allow, working_department
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from api.pages.officer import report_page
from core import administration, policy_registry
from core.catalogue import list_departments
from core.errors import InvalidInput
from core.input_rules import whole_number
from core.lifecycle import Role
from core.policy_links import link_report, unlink_report
from core.policy_pressure import most_pressed, pressures
from core.policy_reviews import DECISIONS, decide, list_reviews, review_for

REVIEW_ROLES = HEAD_ROLES | LEADERSHIP_ROLES
LINK_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.VERIFIER, Role.ADMIN})
PRESSED_SHOWN = 10
DECISIONS_SHOWN = 50


def _field(form: FormMultiDict, name: str, limit: int) -> str:
    # Cut far past the limits core enforces, so core still names an over-long field.
    return str(form.get(name, ""))[: 2 * limit]


def _date(form: FormMultiDict, name: str) -> date | None:
    raw = _field(form, name, 20).strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Tanggal tidak valid.", "Invalid date.", field=name) from None


def _whole(form: FormMultiDict, name: str) -> int | None:
    raw = _field(form, name, 10).strip()
    return whole_number(raw)


class PolicyPages(PageController):
    path = "/policies"

    async def _overview(
        self,
        request: Request[Any, Any, Any],
        department: str | None,
        *,
        status_code: int = 200,
        error: dict[str, str] | None = None,
    ) -> Template:
        user = await require_user(request)
        working = await working_department(user, department)
        if working is None:  # an admin who has not picked a department yet
            return await render(
                request,
                "policy/overview.html",
                status_code=status_code,
                department=None,
                departments=await list_departments(),
                reviews=await list_reviews(status="open"),
            )
        return await render(
            request,
            "policy/overview.html",
            status_code=status_code,
            department=working,
            pressures=await pressures(department_id=working["id"]),
            reviews=await list_reviews(department_id=working["id"]),
            policies=await policy_registry.department_policies(department_id=working["id"]),
            error=error or {},
        )

    @get("/", guards=[allow(HEAD_ROLES)])
    async def overview(
        self, request: Request[Any, Any, Any], department: FromQuery[str | None] = None
    ) -> Template:
        return await self._overview(request, department)

    @post("/registry", guards=[allow(HEAD_ROLES)])
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        user = await require_user(request)
        form = await request.form()
        department = _field(form, "department", 40)
        try:
            await administration.create_policy(
                code=_field(form, "code", 40),
                title=_field(form, "title", 300),
                summary=_field(form, "summary", 4000),
                department_code=department,
                legal_url=_field(form, "legal_url", 500) or None,
                effective_from=_date(form, "effective_from"),
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._refused(request, department, "new", error)
        flash_ok(request, "admin.saved")
        return see_other(_overview_path(user.role, department))

    @post("/registry/{code:str}", guards=[allow(HEAD_ROLES)])
    async def update(
        self, request: Request[Any, Any, Any], code: FromPath[str]
    ) -> Template | Redirect:
        """The wording of a policy; for an admin also its review threshold and window."""
        user = await require_user(request)
        form = await request.form()
        department = _field(form, "department", 40)
        try:
            await policy_registry.update_wording(
                code=code,
                title=_field(form, "title", 300),
                summary=_field(form, "summary", 4000),
                legal_url=_field(form, "legal_url", 500) or None,
                actor=user.actor,
            )
            if user.role is Role.ADMIN:
                await policy_registry.set_review_rule(
                    code=code,
                    threshold=_whole(form, "review_threshold"),
                    window_days=_whole(form, "review_window_days"),
                    actor=user.actor,
                )
        except InvalidInput as error:
            return await self._refused(request, department, code, error)
        flash_ok(request, "admin.saved")
        return see_other(_overview_path(user.role, department))

    async def _refused(
        self, request: Request[Any, Any, Any], department: str, form: str, error: InvalidInput
    ) -> Template:
        message = error.message(page_language(request))
        return await self._overview(
            request, department or None, status_code=400, error={"form": form, "message": message}
        )

    @get("/reviews/{review_id:int}", guards=[allow(REVIEW_ROLES)])
    async def review(self, request: Request[Any, Any, Any], review_id: FromPath[int]) -> Template:
        return await self._review(request, review_id)

    async def _review(
        self,
        request: Request[Any, Any, Any],
        review_id: int,
        *,
        status_code: int = 200,
        error: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
        user = await require_user(request)
        return await render(
            request,
            "policy/review.html",
            status_code=status_code,
            review=await review_for(review_id=review_id, actor=user.actor),
            decisions=DECISIONS,
            error=error,
            values=values or {},
        )

    @post("/reviews/{review_id:int}/decide", guards=[allow(HEAD_ROLES)])
    async def decide(
        self, request: Request[Any, Any, Any], review_id: FromPath[int]
    ) -> Template | Redirect:
        user = await require_user(request)
        form = await request.form()
        values = {
            "decision": _field(form, "decision", 10),
            "rationale": _field(form, "rationale", 2000),
            "changes": _field(form, "changes", 1000),
            "changes_from": _field(form, "changes_from", 20),
        }
        try:
            decided = await decide(
                review_id=review_id,
                decision=values["decision"],
                rationale=values["rationale"],
                changes=values["changes"] or None,
                changes_from=_date(form, "changes_from"),
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._review(
                request,
                review_id,
                status_code=400,
                error=error.message(page_language(request)),
                values=values,
            )
        flash_ok(request, "pr.decided", n=decided["notified"])
        return see_other(f"/policies/reviews/{review_id}")

    @post("/reports/{code:str}/{change:str}", guards=[allow(LINK_ROLES)])
    async def link(
        self, request: Request[Any, Any, Any], code: FromPath[str], change: FromPath[str]
    ) -> Template | Redirect:
        """link | unlink: an officer says which policy a report is about, or that it is not."""
        user = await require_user(request)
        form = await request.form()
        try:
            match change:
                case "link":
                    report = await link_report(
                        tracking_code=code,
                        policy_code=_field(form, "policy", 40),
                        stance=_field(form, "stance", 12),
                        actor=user.actor,
                    )
                case "unlink":
                    report = await unlink_report(tracking_code=code, actor=user.actor)
                case _:
                    raise NotFoundException()
        except InvalidInput as error:
            return await report_page(
                request,
                user,
                code,
                status_code=400,
                form_error={
                    "action": "policy",
                    "field": error.field or "policy",
                    "message": error.message(page_language(request)),
                },
            )
        flash_ok(request, f"pr.{change}ed", code=report["tracking_code"])
        return see_other(f"/officer/reports/{report['tracking_code']}")


def _overview_path(role: Role, department_code: str) -> str:
    # An admin works on a department they picked; a head always on their own.
    code = department_code.strip().upper()
    return f"/policies?department={code}" if role is Role.ADMIN and code else "/policies"


class LeadershipPolicyPages(PageController):
    path = "/leadership/policies"
    guards = [allow(LEADERSHIP_ROLES)]

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        return await render(
            request,
            "policy/leadership.html",
            pressed=most_pressed(await pressures(), limit=PRESSED_SHOWN),
            open_reviews=await list_reviews(status="open"),
            decided=await list_reviews(status="decided", limit=DECISIONS_SHOWN),
        )
