"""The admin's pages: staff accounts, departments with their service levels, policies."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.auth import require_user
from api.guards import ADMIN_ROLES, allow
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from core import accounts, administration
from core.catalogue import list_policies
from core.errors import InvalidInput
from core.input_rules import whole_number
from core.lifecycle import Role
from core.users import create_user


def _field(form: FormMultiDict, name: str, limit: int = 4000) -> str:
    return str(form.get(name, ""))[:limit]


def _days(form: FormMultiDict, name: str) -> int | None:
    raw = _field(form, name, 10).strip()
    if not raw:
        return None
    days = whole_number(raw)
    if days is None:
        raise InvalidInput(
            "Isi dengan bilangan bulat hari kerja.", "Enter a whole number of days.", field=name
        )
    return days


def _date(form: FormMultiDict, name: str) -> date | None:
    raw = _field(form, name, 20).strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Tanggal tidak valid.", "Invalid date.", field=name) from None


class AdminPages(PageController):
    path = "/admin"
    guards = [allow(ADMIN_ROLES)]

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
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        me = await require_user(request)
        form = await request.form()
        values = {
            "username": _field(form, "username", 100),
            "full_name": _field(form, "full_name", 200),
            "role": _field(form, "role", 20),
            "department": _field(form, "department", 40),
        }
        try:
            user = await create_user(
                username=values["username"],
                full_name=values["full_name"],
                password=_field(form, "password", 200),
                role=values["role"],
                department_code=values["department"] or None,
                actor=me.actor,
            )
        except InvalidInput as error:
            return await self._users(
                request, status_code=400, error=error.message(page_language(request)), values=values
            )
        flash_ok(request, "admin.created", name=user["username"])
        return see_other("/admin")

    @post("/users/{user_id:int}/{change:str}")
    async def change(
        self, request: Request[Any, Any, Any], user_id: FromPath[int], change: FromPath[str]
    ) -> Template | Redirect:
        """activate | deactivate | unlock | password"""
        me = await require_user(request)
        form = await request.form()
        try:
            match change:
                case "activate" | "deactivate":
                    await accounts.set_active(
                        user_id=user_id, active=change == "activate", actor=me.actor
                    )
                case "unlock":
                    await accounts.unlock(user_id=user_id, actor=me.actor)
                case "password":
                    await accounts.set_password(
                        user_id=user_id, password=_field(form, "password", 200), actor=me.actor
                    )
                case _:
                    raise InvalidInput(
                        "Perubahan tidak dikenal.", "Unknown change.", field="change"
                    )
        except InvalidInput as error:
            return await self._users(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, "admin.saved")
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
    async def create_department(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        me = await require_user(request)
        form = await request.form()
        try:
            await administration.create_department(
                code=_field(form, "code", 60),
                name=_field(form, "name", 400),
                short_name=_field(form, "short_name", 120),
                scope=_field(form, "scope"),
                dimensions=[str(value)[:20] for value in form.getall("dimensions", [])][:6],
                actor=me.actor,
            )
        except InvalidInput as error:
            return await self._departments(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, "admin.saved")
        return see_other("/admin/departments")

    @post("/departments/{code:str}")
    async def update_department(
        self, request: Request[Any, Any, Any], code: FromPath[str]
    ) -> Template | Redirect:
        me = await require_user(request)
        form = await request.form()
        try:
            await administration.update_department(
                code=code,
                name=_field(form, "name", 400),
                short_name=_field(form, "short_name", 120),
                scope=_field(form, "scope"),
                first_response_days=_days(form, "first_response_days"),
                resolution_days=_days(form, "resolution_days"),
                active=_field(form, "active", 5) == "1",
                actor=me.actor,
            )
        except InvalidInput as error:
            return await self._departments(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, "admin.saved")
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
    async def create_policy(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        me = await require_user(request)
        form = await request.form()
        try:
            await administration.create_policy(
                code=_field(form, "code", 80),
                title=_field(form, "title", 600),
                summary=_field(form, "summary", 8000),
                department_code=_field(form, "department", 40),
                legal_url=_field(form, "legal_url", 1000) or None,
                effective_from=_date(form, "effective_from"),
                actor=me.actor,
            )
        except InvalidInput as error:
            return await self._policies(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, "admin.saved")
        return see_other("/admin/policies")

    @post("/policies/{code:str}")
    async def update_policy(
        self, request: Request[Any, Any, Any], code: FromPath[str]
    ) -> Template | Redirect:
        me = await require_user(request)
        form = await request.form()
        try:
            await administration.update_policy(
                code=code,
                title=_field(form, "title", 600),
                summary=_field(form, "summary", 8000),
                status=_field(form, "status", 20),
                legal_url=_field(form, "legal_url", 1000) or None,
                actor=me.actor,
            )
        except InvalidInput as error:
            return await self._policies(
                request, status_code=400, error=error.message(page_language(request))
            )
        flash_ok(request, "admin.saved")
        return see_other("/admin/policies")
