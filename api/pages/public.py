"""Pages for everyone, no sign-in: send a report without Telegram, track it by its code,
see what the city answered lately and what it decided on policies."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.pages.base import (
    LANG_COOKIE,
    LANGUAGES,
    PageController,
    local_path,
    page_language,
    render,
    see_other,
)
from core.catalogue import list_policies
from core.errors import DomainError
from core.public_feed import policy_decisions, recently_resolved
from core.reports import Reporter, public_report, submit_report
from core.tracking import normalize_code

_FORM_FIELDS = ("text", "address", "policy", "stance", "name", "phone", "email")
_LIMITS = {
    "text": 8000,
    "address": 600,
    "policy": 80,
    "stance": 20,
    "name": 400,
    "phone": 64,
    "email": 500,
}
ONE_YEAR = 365 * 24 * 60 * 60


def _checked(value: Any) -> bool:
    return str(value or "").lower() in {"on", "1", "true", "yes"}


class PublicPages(PageController):
    path = "/"

    async def _home(
        self,
        request: Request[Any, Any, Any],
        *,
        status_code: int = 200,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Template:
        return await render(
            request,
            "public/home.html",
            status_code=status_code,
            values=values or {},
            errors=errors or {},
            policies=await list_policies(include_revoked=False),
            recent=await recently_resolved(),
            decisions=await policy_decisions(),
        )

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        return await self._home(request)

    @post("/laporan")
    async def submit(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        # Over-long values are cut only far past the limits the domain enforces, so the
        # domain still names the field that is too long.
        values = {key: str(form.get(key, ""))[: _LIMITS[key]] for key in _FORM_FIELDS}
        values["anonymous"] = _checked(form.get("anonymous"))
        values["confidential"] = _checked(form.get("confidential"))
        reporter = Reporter(
            name=values["name"] or None,
            phone=values["phone"] or None,
            email=values["email"] or None,
        )
        try:
            report = await submit_report(
                text=values["text"],
                channel="web",
                router=request.app.state.router,
                anonymous=values["anonymous"],
                confidential=values["confidential"],
                policy_code=values["policy"] or None,
                stance=values["stance"] or None,
                address=values["address"] or None,
                reporter=reporter if (reporter.name or reporter.phone or reporter.email) else None,
            )
        except DomainError as error:
            lang = page_language(request)
            field = (error.field or "text").removeprefix("reporter.")
            return await self._home(
                request, status_code=400, values=values, errors={field: error.message(lang)}
            )
        return see_other(f"/lacak/{report['tracking_code']}?baru=1")

    @get("/lacak")
    async def track_form(
        self, request: Request[Any, Any, Any], kode: FromQuery[str | None] = None
    ) -> Template | Redirect:
        if kode is not None:
            code = normalize_code(kode[:40])
            if code:
                return see_other(f"/lacak/{code}")
            return await render(
                request, "public/track_form.html", status_code=400, code=kode[:40], bad_code=True
            )
        return await render(request, "public/track_form.html", code="", bad_code=False)

    @get("/lacak/{code:str}")
    async def track(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        baru: FromQuery[str | None] = None,
    ) -> Template:
        report = await public_report(code)
        return await render(request, "public/track.html", report=report, just_sent=baru == "1")

    @get("/kebijakan")
    async def policies(self, request: Request[Any, Any, Any]) -> Template:
        return await render(
            request,
            "public/policies.html",
            policies=await list_policies(),
            decisions=await policy_decisions(),
        )

    @get("/bahasa/{lang:str}")
    async def language(self, lang: FromPath[str], next: FromQuery[str | None] = None) -> Redirect:
        response = see_other(local_path(next))
        if lang in LANGUAGES:
            response.set_cookie(
                key=LANG_COOKIE, value=lang, max_age=ONE_YEAR, httponly=True, samesite="lax"
            )
        return response
