"""The admin's pages: staff accounts, departments with their service levels, policies."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.guards import ADMIN_ROLES, SIGNED_IN, SignedInUser, allow
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from api.pages.forms import (
    FORM,
    Cut,
    PageForm,
    PolicyForm,
    Several,
    require_confirmation,
    several,
)
from core.catalogue import administration
from core.catalogue.public import list_policies
from core.errors import InvalidInput
from core.input_rules import whole_number
from core.staff import accounts
from core.staff.actors import Role
from core.staff.users import create_user
from i18n import N_


class UserForm(PageForm):
    username: Annotated[str, Cut(100)] = ""
    full_name: Annotated[str, Cut(200)] = ""
    role: Annotated[str, Cut(20)] = ""
    department: Annotated[str, Cut(40)] = ""
    email: Annotated[str, Cut(300)] = ""
    password: Annotated[str, Cut(200)] = ""


class UserChangeForm(PageForm):
    password: Annotated[str, Cut(200)] = ""  # for the `password` change only
    email: Annotated[str, Cut(300)] = ""  # for the `email` change only; empty removes it
    confirm: Annotated[str, Cut(10)] = ""  # for `deactivate`, ticked


class NewDepartmentForm(PageForm):
    code: Annotated[str, Cut(60)] = ""
    name: Annotated[str, Cut(400)] = ""
    short_name: Annotated[str, Cut(120)] = ""
    scope: Annotated[str, Cut(4000)] = ""
    dimensions: Several = []  # one checkbox each


class DepartmentForm(PageForm):
    """`active` comes from a select that always sends 1 or 0: a form without it is refused
    rather than read as "switch the department off"."""

    active: bool
    name: Annotated[str, Cut(400)] = ""
    short_name: Annotated[str, Cut(120)] = ""
    scope: Annotated[str, Cut(4000)] = ""
    first_response_days: Annotated[str, Cut(10)] = ""
    resolution_days: Annotated[str, Cut(10)] = ""
    urgent_ack_minutes: Annotated[str, Cut(10)] = ""


class PolicyUpdateForm(PageForm):
    title: Annotated[str, Cut(600)] = ""
    summary: Annotated[str, Cut(8000)] = ""
    status: Annotated[str, Cut(20)] = ""
    legal_url: Annotated[str, Cut(1000)] = ""


def _whole(
    raw: str, name: str, *, refusal: str = N_("Isi dengan bilangan bulat hari kerja.")
) -> int | None:
    """An optional whole number of a form (empty: None); core checks its range."""
    raw = raw.strip()
    if not raw:
        return None
    number = whole_number(raw)
    if number is None:
        raise InvalidInput(refusal, field=name)
    return number


def _date(raw: str, name: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(N_("Tanggal tidak valid."), field=name) from None


class AdminPages(PageController):
    path = "/admin"
    guards = [allow(ADMIN_ROLES)]
    dependencies = SIGNED_IN

    async def _users(
        self,
        request: Request[Any, Any, Any],
        *,
        status_code: int = 200,
        error: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Template:
        return await render(
            request,
            "admin/users.html",
            status_code=status_code,
            users=await accounts.list_staff(),
            departments=await administration.list_all_departments(),
            roles=list(Role),
            error=error,
            values=values or {},
        )

    @get("/")
    async def users(self, request: Request[Any, Any, Any]) -> Template:
        return await self._users(request)

    @post("/users")
    async def create(
        self, request: Request[Any, Any, Any], user: SignedInUser, data: Annotated[UserForm, FORM]
    ) -> Template | Redirect:
        values = {
            "username": data.username,
            "full_name": data.full_name,
            "role": data.role,
            "department": data.department,
            "email": data.email,
        }
        try:
            created = await create_user(
                username=values["username"],
                full_name=values["full_name"],
                password=data.password,
                role=values["role"],
                department_code=values["department"] or None,
                email=values["email"],
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._users(
                request, status_code=400, error=error.message(page_language(request)), values=values
            )
        flash_ok(request, N_("Dibuat: %(name)s."), name=created.username)
        return see_other("/admin")

    @post("/users/{user_id:int}/{change:str}")
    async def change(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        user_id: FromPath[int],
        change: FromPath[str],
        data: Annotated[UserChangeForm, FORM],
    ) -> Template | Redirect:
        """activate | deactivate | unlock | password | email"""
        try:
            match change:
                case "activate" | "deactivate":
                    if change == "deactivate":
                        require_confirmation(data.confirm)
                    await accounts.set_active(
                        user_id=user_id, active=change == "activate", actor=user.actor
                    )
                case "unlock":
                    await accounts.unlock(user_id=user_id, actor=user.actor)
                case "password":
                    await accounts.set_password(
                        user_id=user_id, password=data.password, actor=user.actor
                    )
                case "email":
                    await accounts.set_email(user_id=user_id, email=data.email, actor=user.actor)
                case _:
                    raise InvalidInput(N_("Perubahan tidak dikenal."), field="change")
        except InvalidInput as error:
            return await self._users(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, N_("Tersimpan."))
        return see_other("/admin")

    async def _departments(
        self, request: Request[Any, Any, Any], *, status_code: int = 200, error: str | None = None
    ) -> Template:
        return await render(
            request,
            "admin/departments.html",
            status_code=status_code,
            departments=await administration.list_all_departments(),
            dimensions=administration.DIMENSIONS,
            error=error,
        )

    @get("/departments")
    async def departments(self, request: Request[Any, Any, Any]) -> Template:
        return await self._departments(request)

    @post("/departments")
    async def create_department(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[NewDepartmentForm, FORM],
    ) -> Template | Redirect:
        try:
            await administration.create_department(
                code=data.code,
                name=data.name,
                short_name=data.short_name,
                scope=data.scope,
                dimensions=[value[:20] for value in several(data.dimensions)][:6],
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._departments(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, N_("Tersimpan."))
        return see_other("/admin/departments")

    @post("/departments/{code:str}")
    async def update_department(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[DepartmentForm, FORM],
    ) -> Template | Redirect:
        try:
            await administration.update_department(
                code=code,
                name=data.name,
                short_name=data.short_name,
                scope=data.scope,
                first_response_days=_whole(data.first_response_days, "first_response_days"),
                resolution_days=_whole(data.resolution_days, "resolution_days"),
                urgent_ack_minutes=_whole(
                    data.urgent_ack_minutes,
                    "urgent_ack_minutes",
                    refusal=N_("Isi dengan bilangan bulat menit."),
                ),
                active=data.active,
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._departments(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, N_("Tersimpan."))
        return see_other("/admin/departments")

    async def _policies(
        self, request: Request[Any, Any, Any], *, status_code: int = 200, error: str | None = None
    ) -> Template:
        return await render(
            request,
            "admin/policies.html",
            status_code=status_code,
            policies=await list_policies(),
            departments=await administration.list_all_departments(),
            statuses=administration.POLICY_STATUSES,
            error=error,
        )

    @get("/policies")
    async def policies(self, request: Request[Any, Any, Any]) -> Template:
        return await self._policies(request)

    @post("/policies")
    async def create_policy(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[PolicyForm, FORM],
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
            return await self._policies(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, N_("Tersimpan."))
        return see_other("/admin/policies")

    @post("/policies/{code:str}")
    async def update_policy(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        data: Annotated[PolicyUpdateForm, FORM],
    ) -> Template | Redirect:
        try:
            await administration.update_policy(
                code=code,
                title=data.title,
                summary=data.summary,
                status=data.status,
                legal_url=data.legal_url or None,
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._policies(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, N_("Tersimpan."))
        return see_other("/admin/policies")
