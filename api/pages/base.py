"""What every page shares: the language, rendering with the common context, and errors shown
as pages (a sign-in redirect, a 403 page) rather than JSON."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.auth import StaffUser, current_user, flash, loaded_user, take_flashes
from api.errors import explain, status_of
from api.guards import areas_for
from core import clock
from core.errors import DomainError
from core.reports.models import StoredPhoto
from i18n import N_, gettext

logger = logging.getLogger("ingatkan.pages")
LANGUAGES = ("id", "en")
LANG_COOKIE = "lang"

# What an error page says for each HTTP status; any other reads as _SOMETHING_WRONG.
_ERROR_TEXTS = {
    400: N_("Permintaan tidak valid."),
    403: N_("Akses ditolak: halaman ini bukan untuk peran atau perangkat daerah Anda."),
    404: N_("Halaman atau laporan tidak ditemukan."),
    405: N_("Metode tidak diizinkan."),
    413: N_("Kiriman terlalu besar. Kirim lebih sedikit foto atau foto yang lebih kecil."),
    409: N_("Konflik dengan status laporan saat ini."),
    429: N_("Terlalu banyak permintaan; coba lagi nanti."),
}
_SOMETHING_WRONG = N_("Terjadi kesalahan.")


def page_language(request: Request[Any, Any, Any]) -> str:
    """Indonesian unless the visitor switched to English (remembered in a cookie)."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGUAGES else "id"


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def local_path(target: str | None, default: str = "/") -> str:
    """Only paths on this site are followed after sign-in or a language switch."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()  # no line breaks smuggled into the Location header
    ):
        return target
    return default


def flash_ok(request: Request[Any, Any, Any], msgid: str, **values: Any) -> None:
    """A one-time confirmation (text `msgid`, marked with N_) on the staff member's next page."""
    flash(request, "ok", gettext("id", msgid, **values), gettext("en", msgid, **values))


def photo_response(photo: StoredPhoto, *, cache_control: str) -> Response[bytes]:
    """A stored photo as its own content type, never sniffed as anything else."""
    return Response(
        content=photo.data,
        media_type=photo.content_type,
        headers={"Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"},
    )


def see_other(path: str) -> Redirect:
    """After a form post: the browser loads `path` with GET."""
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


def _template(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    user: StaffUser | None,
    flashes: list[dict[str, str]],
    status_code: int,
    context: dict[str, Any],
) -> Template:
    return Template(
        template_name=template_name,
        status_code=status_code,
        context={
            "lang": page_language(request),
            "user": user,
            "areas": areas_for(user),
            "flashes": flashes,
            "now": clock.now(),
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **context,
        },
    )


async def render(
    request: Request[Any, Any, Any], template_name: str, *, status_code: int = 200, **context: Any
) -> Template:
    """A page with the common context: language, the signed-in user, one-time messages."""
    user = await current_user(request)
    lang = page_language(request)
    flashes = [{"kind": item["kind"], "text": item[lang]} for item in take_flashes(request)]
    return _template(
        request,
        template_name,
        user=user,
        flashes=flashes,
        status_code=status_code,
        context=context,
    )


def _error_page(request: Request[Any, Any, Any], status_code: int, message: str) -> Template:
    return _template(
        request,
        "error.html",
        user=loaded_user(request),
        flashes=[],
        status_code=status_code,
        context={"error_status": status_code, "message": message},
    )


def _sign_in_first(request: Request[Any, Any, Any], _: NotAuthorizedException) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"/login?next={quote(target, safe='')}", status_code=302)


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    lang = page_language(request)
    msgid = _ERROR_TEXTS.get(error.status_code, _SOMETHING_WRONG)
    return _error_page(request, error.status_code, gettext(lang, msgid))


def _refused_form(request: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    """A form (or query) its struct refused: which field, and why, in the page's language."""
    lang = page_language(request)
    items = error.extra if isinstance(error.extra, list) else []
    messages = []
    for item in items:
        field, message = explain(str(item.get("message", "")), lang, item.get("key"))
        messages.append(f"{field}: {message}" if field and field not in message else message)
    return _error_page(request, 400, " ".join(messages) or gettext(lang, "Permintaan tidak valid."))


def _domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    return _error_page(request, status_of(error), error.message(page_language(request)))


def _unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return _error_page(request, 500, gettext(page_language(request), _SOMETHING_WRONG))


class PageController(Controller):
    """Base of every page controller: errors become pages, not JSON, whatever they are."""

    include_in_schema = False
    exception_handlers = {
        NotAuthorizedException: _sign_in_first,
        ValidationException: _refused_form,
        HTTPException: _http_error,
        DomainError: _domain_error,
        Exception: _unexpected_error,
    }
