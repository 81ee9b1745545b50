"""Policy correction in the staff pages: a head's (or admin's) view of their department's
policies under pressure and under review, a review's page where the head publishes the
decision, leadership's view of every policy under pressure, and the officer's form that
links a report to a policy. Every rule is in core/; these are its doors.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import StaffUser
from api.guards import (
    HEAD_ROLES,
    LEADERSHIP_ROLES,
    SIGNED_IN,
    SignedInUser,
    allow,
    working_department,
)
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from api.pages.forms import FORM, Cut, PageForm, PolicyForm, require_confirmation
from api.pages.officer import form_error, refused
from core.catalogue import administration
from core.catalogue.public import list_departments, list_policies
from core.errors import InvalidInput
from core.input_rules import whole_number
from core.policies import registry as policy_registry
from core.policies.links import link_report, unlink_report
from core.policies.pressure import most_pressed, pressures
from core.policies.reviews import DECISIONS, decide, list_reviews, review_for
from core.staff.actors import Role
from i18n import N_

REVIEW_ROLES = HEAD_ROLES | LEADERSHIP_ROLES
LINK_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.VERIFIER, Role.ADMIN})
PRESSED_SHOWN = 10
DECISIONS_SHOWN = 50


# Text is cut at twice the limit core enforces, so core still names an over-long field.

# The confirmation of each change of a report's policy link.
_CHANGED = {
    "link": N_("Laporan %(code)s ditautkan ke kebijakan."),
    "unlink": N_("Tautan kebijakan laporan %(code)s dilepas."),
}


class DecisionForm(PageForm):
    decision: Annotated[str, Cut(20)] = ""
    rationale: Annotated[str, Cut(4000)] = ""
    changes: Annotated[str, Cut(2000)] = ""
    changes_from: Annotated[str, Cut(40)] = ""
    confirm: Annotated[str, Cut(10)] = ""  # publishing is final: ticked


class LinkForm(PageForm):
    policy: Annotated[str, Cut(80)] = ""
    stance: Annotated[str, Cut(24)] = ""


def _date(raw: str, name: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(N_("Tanggal tidak valid."), field=name) from None


class PolicyPages(PageController):
    path = "/policies"
    dependencies = SIGNED_IN

    async def _overview(
        self,
        request: Request[Any, Any, Any],
        user: StaffUser,
        department: str | None,
        *,
        status_code: int = 200,
        error: dict[str, str] | None = None,
    ) -> Template:
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
            policies=await list_policies(department_id=working["id"]),
            error=error or {},
        )

    @get("/", guards=[allow(HEAD_ROLES)])
    async def overview(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        department: FromQuery[str | None] = None,
    ) -> Template:
        return await self._overview(request, user, department)

    @post("/registry", guards=[allow(HEAD_ROLES)])
    async def create(
        self, request: Request[Any, Any, Any], user: SignedInUser, data: Annotated[PolicyForm, FORM]
    ) -> Template | Redirect:
        try:
            await administration.create_policy(
                code=data.code,
                title=data.title,
                summary=data.summary,
                department_code=data.department,
                legal_url=data.legal_url or None,
                effective_from=_date(data.effective_from, "effective_from"),
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._refused(request, user, data.department, "new", error)
        flash_ok(request, N_("Tersimpan."))
        return see_other(_overview_path(user.role, data.department))

    @post("/registry/{code:str}", guards=[allow(HEAD_ROLES)])
    async def update(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[PolicyForm, FORM],
    ) -> Template | Redirect:
        """The wording of a policy; for an admin also its review threshold and window."""
        try:
            await policy_registry.update_wording(
                code=code,
                title=data.title,
                summary=data.summary,
                legal_url=data.legal_url or None,
                actor=user.actor,
            )
            if user.role is Role.ADMIN:
                await policy_registry.set_review_rule(
                    code=code,
                    threshold=whole_number(data.review_threshold.strip()),
                    window_days=whole_number(data.review_window_days.strip()),
                    actor=user.actor,
                )
        except InvalidInput as error:
            return await self._refused(request, user, data.department, code, error)
        flash_ok(request, N_("Tersimpan."))
        return see_other(_overview_path(user.role, data.department))

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        user: StaffUser,
        department: str,
        form: str,
        error: InvalidInput,
    ) -> Template:
        message = error.message(page_language(request))
        return await self._overview(
            request,
            user,
            department or None,
            status_code=400,
            error={"form": form, "message": message},
        )

    @get("/reviews/{review_id:int}", guards=[allow(REVIEW_ROLES)])
    async def review(
        self, request: Request[Any, Any, Any], user: SignedInUser, review_id: FromPath[int]
    ) -> Template:
        return await self._review(request, user, review_id)

    async def _review(
        self,
        request: Request[Any, Any, Any],
        user: StaffUser,
        review_id: int,
        *,
        status_code: int = 200,
        error: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
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
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        review_id: FromPath[int],
        data: Annotated[DecisionForm, FORM],
    ) -> Template | Redirect:
        try:
            require_confirmation(data.confirm)
            decided = await decide(
                review_id=review_id,
                decision=data.decision,
                rationale=data.rationale,
                changes=data.changes or None,
                changes_from=_date(data.changes_from, "changes_from"),
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._review(
                request,
                user,
                review_id,
                status_code=400,
                error=error.message(page_language(request)),
                values=msgspec.structs.asdict(data),
            )
        flash_ok(
            request,
            N_("Keputusan dipublikasikan dan dikirim ke %(n)s warga."),
            n=decided.notified,
        )
        return see_other(f"/policies/reviews/{review_id}")

    @post("/reports/{code:str}/{change:str}", guards=[allow(LINK_ROLES)])
    async def link(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        change: FromPath[str],
        data: Annotated[LinkForm, FORM],
    ) -> Template | Redirect:
        """link | unlink: an officer says which policy a report is about, or that it is not."""
        try:
            match change:
                case "link":
                    report = await link_report(
                        tracking_code=code,
                        policy_code=data.policy,
                        stance=data.stance,
                        actor=user.actor,
                    )
                case "unlink":
                    report = await unlink_report(tracking_code=code, actor=user.actor)
                case _:
                    raise NotFoundException()
        except InvalidInput as error:
            return await refused(request, user, code, form_error(request, "policy", error))
        flash_ok(request, _CHANGED[change], code=report.tracking_code)
        return see_other(f"/officer/reports/{report.tracking_code}")


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
