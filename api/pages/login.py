"""Signing in and out of the staff pages."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from api.auth import current_user, sign_in, sign_out
from api.guards import HOME_BY_ROLE
from api.pages.base import (
    PageController,
    flash_ok,
    local_path,
    page_language,
    render,
    see_other,
)
from api.pages.forms import FORM, Cut, PageForm
from core.staff.accounts import SignInRefused, authenticate
from i18n import N_


class LoginForm(PageForm):
    username: Annotated[str, Cut(64)] = ""
    password: Annotated[str, Cut(200)] = ""
    next: str = ""  # where to go afterwards; only a local path is followed


class LoginPages(PageController):
    path = "/"

    @get("/login")
    async def form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Template:
        return await render(
            request, "auth/login.html", next=local_path(next, ""), username="", error=None
        )

    @post("/login")
    async def submit(
        self, request: Request[Any, Any, Any], data: Annotated[LoginForm, FORM]
    ) -> Template | Redirect:
        lang = page_language(request)
        try:
            user = await authenticate(username=data.username, password=data.password)
        except SignInRefused as refused:
            return await render(
                request,
                "auth/login.html",
                status_code=400,
                next=local_path(data.next, ""),
                username=data.username,
                error=refused.message(lang),
            )
        await sign_in(request, user.id, user.session_version)
        flash_ok(request, N_("Selamat datang, %(name)s."), name=user.full_name or user.username)
        return see_other(local_path(data.next, HOME_BY_ROLE[user.role]))

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        if await current_user(request) is not None:
            sign_out(request)
        return see_other("/")
