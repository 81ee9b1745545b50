"""The head of department's view: what is overdue or escalated, who carries what, and the
department's reply templates."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import require_user
from api.guards import HEAD_ROLES, allow, working_department
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from core import reply_templates
from core.catalogue import list_departments
from core.errors import InvalidInput
from core.queue import department_overview


class HeadPages(PageController):
    path = "/head"
    guards = [allow(HEAD_ROLES)]

    async def _page(
        self,
        request: Request[Any, Any, Any],
        department: str | None,
        *,
        status_code: int = 200,
        template_error: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
        user = await require_user(request)
        working = await working_department(user, department)
        if working is None:
            return await render(
                request, "head/overview.html", department=None, departments=await list_departments()
            )
        return await render(
            request,
            "head/overview.html",
            status_code=status_code,
            department=working,
            overview=await department_overview(department_id=working["id"]),
            templates=await reply_templates.for_department(working["id"]),
            template_error=template_error,
            values=values or {},
        )

    @get("/")
    async def overview(
        self, request: Request[Any, Any, Any], department: FromQuery[str | None] = None
    ) -> Template:
        return await self._page(request, department)

    @post("/templates")
    async def add_template(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        user = await require_user(request)
        form = await request.form()
        department = str(form.get("department", ""))[:40] or None
        working = await working_department(user, department)
        if working is None:
            raise InvalidInput(
                "Pilih perangkat daerah.", "Choose a department.", field="department"
            )
        values = {
            "title": str(form.get("title", ""))[:400],
            "body": str(form.get("body", ""))[:8000],
        }
        try:
            await reply_templates.add(
                department_id=working["id"],
                title=values["title"],
                body=values["body"],
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._page(
                request,
                working["code"],
                status_code=400,
                template_error=error.message(page_language(request)),
                values=values,
            )
        flash_ok(request, "head.template_added")
        return see_other(_overview_path(user.role, working["code"]))

    @post("/templates/{template_id:int}/delete")
    async def delete_template(
        self, request: Request[Any, Any, Any], template_id: FromPath[int]
    ) -> Redirect:
        user = await require_user(request)
        await reply_templates.remove(template_id=template_id, actor=user.actor)
        flash_ok(request, "head.template_deleted")
        form = await request.form()
        return see_other(_overview_path(user.role, str(form.get("department", ""))[:40]))


def _overview_path(role: str, department_code: str) -> str:
    # An admin works on a department they picked; a head always on their own.
    return f"/head?department={department_code}" if role == "admin" and department_code else "/head"
