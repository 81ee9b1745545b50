"""A staff member's own account: how the department's notices reach them (Telegram, else the
email address an admin gave them), and linking their Telegram chat."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from api.auth import StaffUser, keep_for_next_page, take_kept
from api.guards import SIGNED_IN, STAFF_ROLES, SignedInUser, allow
from api.pages.base import PageController, flash_ok, render, see_other
from core.staff import telegram_link as staff_telegram
from core.staff.notices import own_notices
from i18n import N_


class AccountPages(PageController):
    path = "/akun"
    guards = [allow(STAFF_ROLES)]
    dependencies = SIGNED_IN

    async def _page(
        self, request: Request[Any, Any, Any], user: StaffUser, *, code: str | None = None
    ) -> Template:
        return await render(
            request,
            "account/account.html",
            linked=await staff_telegram.is_linked(user_id=user.id),
            notices=await own_notices(user_id=user.id),
            code=code,
            valid_minutes=int(staff_telegram.CODE_VALID.total_seconds() // 60),
        )

    @get("/")
    async def account(self, request: Request[Any, Any, Any], user: SignedInUser) -> Template:
        kept = take_kept(request)
        return await self._page(request, user, code=kept.get("code") if kept else None)

    @post("/telegram")
    async def new_code(self, request: Request[Any, Any, Any], user: SignedInUser) -> Redirect:
        # Shown once, on the page after the redirect; only its hash is kept.
        code = await staff_telegram.issue_link_code(user_id=user.id)
        keep_for_next_page(request, {"code": code})
        return see_other("/akun")

    @post("/telegram/putus")
    async def unlink(self, request: Request[Any, Any, Any], user: SignedInUser) -> Redirect:
        await staff_telegram.unlink(user_id=user.id)
        flash_ok(
            request, N_("Tautan Telegram diputus; pemberitahuan tidak lagi dikirim ke obrolan itu.")
        )
        return see_other("/akun")
