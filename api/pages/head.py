"""The head of department's view: what is overdue or escalated, who carries what, and the
department's reply templates."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.auth import StaffUser
from api.guards import HEAD_ROLES, SIGNED_IN, SignedInUser, allow, working_department
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from api.pages.forms import FORM, Cut, PageForm
from core.catalogue.public import list_departments
from core.errors import InvalidInput
from core.reports import reply_templates
from core.reports.queue import department_overview
from i18n import N_


class TemplateForm(PageForm):
    """A reply template; `department`: the one an admin works on (a head's is their own)."""

    department: Annotated[str, Cut(40)] = ""
    title: Annotated[str, Cut(400)] = ""
    body: Annotated[str, Cut(8000)] = ""


class DeleteTemplateForm(PageForm):
    department: Annotated[str, Cut(40)] = ""  # the page to return to, for an admin


class HeadPages(PageController):
    path = "/head"
    guards = [allow(HEAD_ROLES)]
    dependencies = SIGNED_IN

    async def _page(
        self,
        request: Request[Any, Any, Any],
        user: StaffUser,
        department: str | None,
        *,
        status_code: int = 200,
        template_error: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
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
            placeholders=reply_templates.PLACEHOLDERS,
        )

    @get("/")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        department: FromQuery[str | None] = None,
    ) -> Template:
        return await self._page(request, user, department)

    @post("/templates")
    async def add_template(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[TemplateForm, FORM],
    ) -> Template | Redirect:
        working = await working_department(user, data.department or None)
        if working is None:
            raise InvalidInput(N_("Pilih perangkat daerah."), field="department")
        try:
            await reply_templates.add(
                department_id=working["id"],
                title=data.title,
                body=data.body,
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._page(
                request,
                user,
                working["code"],
                status_code=400,
                template_error=error.message(page_language(request)),
                values={"title": data.title, "body": data.body},
            )
        flash_ok(request, N_("Templat ditambahkan."))
        return see_other(_overview_path(user.role, working["code"]))

    @post("/templates/{template_id:int}")
    async def edit_template(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        template_id: FromPath[int],
        data: Annotated[TemplateForm, FORM],
    ) -> Template | Redirect:
        try:
            await reply_templates.update(
                template_id=template_id, title=data.title, body=data.body, actor=user.actor
            )
        except InvalidInput as error:
            return await self._page(
                request,
                user,
                data.department or None,
                status_code=400,
                template_error=error.message(page_language(request)),
                values={"id": str(template_id), "title": data.title, "body": data.body},
            )
        flash_ok(request, N_("Templat disimpan."))
        return see_other(_overview_path(user.role, data.department))

    @post("/templates/{template_id:int}/delete")
    async def delete_template(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        template_id: FromPath[int],
        data: Annotated[DeleteTemplateForm, FORM],
    ) -> Redirect:
        await reply_templates.remove(template_id=template_id, actor=user.actor)
        flash_ok(request, N_("Templat dihapus."))
        return see_other(_overview_path(user.role, data.department))


def _overview_path(role: str, department_code: str) -> str:
    # An admin works on a department they picked; a head always on their own.
    return f"/head?department={department_code}" if role == "admin" and department_code else "/head"
