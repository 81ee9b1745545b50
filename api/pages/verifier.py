"""The verifier's triage queue: route each report with one click, refer it to the outside
authority the classifier suggests (or another of core.routing.referrals), or reject it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import flash
from api.guards import SIGNED_IN, TRIAGE_ROLES, SignedInUser, allow
from api.pages.base import PageController, is_htmx, local_path, page_language, render, see_other
from api.pages.forms import FORM, several
from api.pages.officer import (
    ActionForm,
    BulkForm,
    act,
    announce,
    done_message,
    tell_outcomes,
)
from core.catalogue.public import list_departments
from core.errors import DomainError
from core.reports import bulk
from core.reports.queue import triage_queue
from core.routing.referrals import REFERRALS

SUGGESTIONS = 3
# The authorities a verifier refers to, by code: the item's suggestion and the list to pick from.
AUTHORITIES = {authority.code: authority for authority in REFERRALS}


def suggestions(
    request: Request[Any, Any, Any], text: str, known: set[str]
) -> list[tuple[str, float]]:
    """The classifier's top departments for `text`, when the router can rank them."""
    suggest = getattr(request.app.state.router, "suggest", None)
    if suggest is None:
        return []
    return [(code, score) for code, score in suggest(text, k=SUGGESTIONS) if code in known]


class VerifierPages(PageController):
    path = "/verifier"
    guards = [allow(TRIAGE_ROLES)]
    dependencies = SIGNED_IN

    async def _page(
        self,
        request: Request[Any, Any, Any],
        *,
        q: str | None = None,
        page: int = 1,
        status_code: int = 200,
        errors: dict[str, dict[str, str]] | None = None,
    ) -> Template:
        result = await triage_queue(page=page, search=q)
        departments = await list_departments()
        known = {department.code for department in departments}
        return await render(
            request,
            "verifier/queue.html",
            status_code=status_code,
            result=result,
            suggested={
                item.tracking_code: suggestions(request, item.text, known) for item in result.items
            },
            departments=departments,
            names={department.code: department.short_name for department in departments},
            authorities=AUTHORITIES,
            q=q or "",
            errors=errors or {},
            back=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        )

    @get("/")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        q: FromQuery[str | None] = None,
        page: FromQuery[int] = 1,
    ) -> Template:
        return await self._page(request, q=q, page=page)

    @post("/bulk/route")
    async def bulk_route(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[BulkForm, FORM],
    ) -> Redirect:
        """Route the ticked reports to one department, each on its own; the triage queue then
        says what happened to each."""
        try:
            outcomes = await bulk.route(
                codes=several(data.codes), department_code=data.department, actor=user.actor
            )
        except DomainError as error:
            outcomes = []
            flash(request, "error", error.message("id"), error.message("en"))
        tell_outcomes(request, outcomes)
        return see_other(local_path(data.back, "/verifier"))

    @post("/{code:str}/{action:str}")
    async def decide(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        action: FromPath[str],
        data: Annotated[ActionForm, FORM],
    ) -> Template | Redirect:
        """`route`, `refer` or `reject` from the triage list; htmx swaps just the item."""
        report, error = await act(request, user, code, action, data)
        if is_htmx(request):
            if report is not None:
                message = await done_message(action, report, page_language(request))
                return await render(
                    request, "verifier/_done.html", code=report.tracking_code, message=message
                )
            departments = await list_departments()
            known = {department.code for department in departments}
            item = next((row for row in (await triage_queue(search=code)).items), None)
            if item is None:  # no longer in triage: someone else decided
                return await render(
                    request, "verifier/_done.html", code=code, message=error["message"]
                )
            return await render(
                request,
                "verifier/_item.html",
                item=item,
                suggested={item.tracking_code: suggestions(request, item.text, known)},
                departments=departments,
                names={d.code: d.short_name for d in departments},
                authorities=AUTHORITIES,
                error=error,
            )
        if report is None:
            return await self._page(request, status_code=int(error["status"]), errors={code: error})
        await announce(request, action, report)
        return see_other("/verifier")
