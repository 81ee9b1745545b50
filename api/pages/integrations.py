"""The admin's page for other systems: Open311 API keys and department webhooks with their
delivery log. A key or a secret is shown once, on the page after the form that issued it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.auth import keep_for_next_page, take_kept
from api.guards import ADMIN_ROLES, SIGNED_IN, SignedInUser, allow
from api.pages.base import PageController, flash_ok, page_language, render, see_other
from api.pages.forms import FORM, Cut, PageForm
from core.catalogue import administration
from core.errors import InvalidInput
from core.integrations import api_keys, webhooks
from i18n import N_


class KeyForm(PageForm):
    name: Annotated[str, Cut(200)] = ""


class WebhookForm(PageForm):
    department: Annotated[str, Cut(40)] = ""
    url: Annotated[str, Cut(600)] = ""
    secret: Annotated[str, Cut(200)] = ""  # drawn for the admin when left empty


def _saved(request: Request[Any, Any, Any]) -> None:
    flash_ok(request, N_("Tersimpan."))


class IntegrationPages(PageController):
    path = "/admin/integrations"
    guards = [allow(ADMIN_ROLES)]
    dependencies = SIGNED_IN

    async def _page(
        self,
        request: Request[Any, Any, Any],
        *,
        status_code: int = 200,
        error: str | None = None,
        issued: dict[str, str] | None = None,
    ) -> Template:
        return await render(
            request,
            "admin/integrations.html",
            status_code=status_code,
            keys=await api_keys.list_api_keys(),
            webhooks=await webhooks.list_webhooks(),
            departments=await administration.list_all_departments(),
            error=error,
            issued=issued,
        )

    @get("/")
    async def overview(self, request: Request[Any, Any, Any]) -> Template:
        return await self._page(request, issued=take_kept(request))

    @post("/keys")
    async def issue_key(
        self, request: Request[Any, Any, Any], user: SignedInUser, data: Annotated[KeyForm, FORM]
    ) -> Template | Redirect:
        try:
            issued_key, key = await api_keys.issue_api_key(name=data.name, actor=user.actor)
        except InvalidInput as error:
            return await self._page(
                request, status_code=400, error=error.message(page_language(request))
            )
        keep_for_next_page(request, {"what": issued_key.name, "value": key})
        return see_other(self.path)

    @post("/keys/{key_id:int}/revoke")
    async def revoke_key(
        self, request: Request[Any, Any, Any], user: SignedInUser, key_id: FromPath[int]
    ) -> Redirect:
        await api_keys.revoke_api_key(key_id=key_id, actor=user.actor)
        _saved(request)
        return see_other(self.path)

    @post("/webhooks")
    async def register_webhook(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        data: Annotated[WebhookForm, FORM],
    ) -> Template | Redirect:
        try:
            webhook = await webhooks.register_webhook(
                department_code=data.department,
                url=data.url,
                secret=data.secret or None,
                allowed_hosts=request.app.state.settings.webhook_allowed_hosts,
                actor=user.actor,
            )
        except InvalidInput as error:
            return await self._page(
                request, status_code=400, error=error.message(page_language(request))
            )
        keep_for_next_page(
            request, {"what": f"{webhook.department_code} {webhook.url}", "value": webhook.secret}
        )
        return see_other(self.path)

    @post("/webhooks/{webhook_id:int}/{change:str}")
    async def change_webhook(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        webhook_id: FromPath[int],
        change: FromPath[str],
    ) -> Redirect:
        """activate | deactivate"""
        if change not in {"activate", "deactivate"}:
            raise InvalidInput(N_("Perubahan tidak dikenal."), field="change")
        await webhooks.set_webhook_active(
            webhook_id=webhook_id,
            active=change == "activate",
            actor=user.actor,
        )
        _saved(request)
        return see_other(self.path)

    @get("/webhooks/{webhook_id:int}")
    async def delivery_log(
        self, request: Request[Any, Any, Any], webhook_id: FromPath[int]
    ) -> Template:
        hook = await webhooks.get_webhook(webhook_id)  # 404 for an unknown id
        log = await webhooks.delivery_log(webhook_id=webhook_id)
        return await render(request, "admin/webhook_log.html", hook=hook, log=log)
