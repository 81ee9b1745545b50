"""Signing in and out of the staff pages."""

from __future__ import annotations

from typing import Any

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
from core.accounts import SignInRefused, authenticate
from core.lifecycle import Role


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
    async def submit(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        username = str(form.get("username", ""))[:64]
        password = str(form.get("password", ""))[:200]
        target = str(form.get("next", ""))
        lang = page_language(request)
        try:
            user = await authenticate(username=username, password=password)
        except SignInRefused as refused:
            return await render(
                request,
                "auth/login.html",
                status_code=400,
                next=local_path(target, ""),
                username=username,
                error=refused.message(lang),
            )
        await sign_in(request, user["id"], user["session_version"])
        flash_ok(request, "login.welcome", name=user["full_name"] or user["username"])
        return see_other(local_path(target, HOME_BY_ROLE[Role(user["role"])]))

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        if await current_user(request) is not None:
            sign_out(request)
        return see_other("/")
