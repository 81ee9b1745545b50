"""One JSON error shape for every failure: {"status_code", "detail", "errors": [{field, message}]}.

Messages come from the i18n catalogue, Indonesian first; a client asking for English
(Accept-Language: en) gets English.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from i18n import N_, Text, gettext

logger = logging.getLogger("ingatkan.api")

_STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: HTTP_400_BAD_REQUEST,
    NotFound: HTTP_404_NOT_FOUND,
    Forbidden: HTTP_403_FORBIDDEN,
    Conflict: HTTP_409_CONFLICT,
}
# What each HTTP status says, by the API and Open311 alike (msgids of the catalogue).
GENERIC_MESSAGES: dict[int, str] = {
    400: N_("Permintaan tidak valid."),
    401: N_("Silakan masuk terlebih dahulu."),
    403: N_("Akses ditolak."),
    404: N_("Tidak ditemukan."),
    405: N_("Metode tidak diizinkan."),
    409: N_("Konflik dengan status saat ini."),
    413: N_("Isi permintaan terlalu besar."),
    415: N_("Jenis konten tidak didukung; kirim application/json."),
    429: N_("Terlalu banyak permintaan; coba lagi nanti."),
    500: N_("Terjadi kesalahan pada server."),
}
_AT_PATH = re.compile(r"\s*- at `\$\.?([^`]*)`$")
# msgspec's messages, said in the catalogue's words; the named groups fill the placeholders.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^Expected `(?P<expected>\w+)`, got `(?P<got>\w+)`$"),
        N_("Harus berupa %(expected)s, bukan %(got)s."),
    ),
    (
        re.compile(r"^Expected `\w+` (?P<op><=|>=|<|>) (?P<bound>[-\d.e+]+)$"),
        N_("Nilai harus %(op)s %(bound)s."),
    ),
    (
        re.compile(r"^Expected `str` of length <= (?P<max>\d+)$"),
        N_("Paling panjang %(max)s karakter."),
    ),
    (
        re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`$"),
        N_("Isian '%(field)s' tidak dikenal."),
    ),
    (
        re.compile(r"^Object missing required field `(?P<field>[^`]+)`$"),
        N_("Isian '%(field)s' wajib diisi."),
    ),
    (
        re.compile(r"^Invalid enum value '(?P<value>[^']*)'$"),
        N_("Nilai '%(value)s' tidak diizinkan."),
    ),
    (re.compile(r"^Number out of range$"), N_("Angka di luar rentang.")),
    (re.compile(r"^'data'$"), N_("Isi permintaan kosong; kirim objek JSON.")),
    (re.compile(r"^(JSON is malformed|Input data was truncated).*"), N_("JSON tidak valid.")),
)
# msgspec's names of JSON types, as the messages above show them.
_TYPE_NAMES = {
    "str": N_("teks"),
    "int": N_("bilangan bulat"),
    "float": N_("angka"),
    "bool": N_("true/false"),
    "object": N_("objek"),
    "array": N_("daftar"),
}


def explain(raw: str, lang: str, key: str | None = None) -> tuple[str | None, str]:
    """(field, message in `lang`) for one of msgspec's or Litestar's messages; `key` is the
    path Litestar already took out of the message, if any."""
    field = key if key and key != "data" else None
    at = _AT_PATH.search(raw)
    if at:
        raw = raw[: at.start()]
        field = at.group(1) or field
        if field and "[" in field:  # "$[...][...]": msgspec could not tell the path
            field = None
    for pattern, msgid in _MESSAGES:
        match = pattern.match(raw)
        if match:
            values = match.groupdict()
            if "field" in values:
                field = ".".join(filter(None, (field, values["field"])))
            types = {
                name: Text(_TYPE_NAMES[value])
                for name, value in values.items()
                if name in ("expected", "got") and value in _TYPE_NAMES
            }
            return field, gettext(lang, msgid, **{**values, **types})
    return field, raw


def language(request: Request[Any, Any, Any]) -> str:
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "id"


def body(
    status_code: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"status_code": status_code, "detail": detail, "errors": errors or []}


def status_of(error: DomainError) -> int:
    return next(code for kind, code in _STATUS_BY_ERROR.items() if isinstance(error, kind))


def on_domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    status = status_of(error)
    lang = language(request)
    message = error.message(lang)
    return Response(
        body(status, message, [{"field": error.field, "message": message}] if error.field else []),
        status_code=status,
    )


def on_http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    status = error.status_code
    if status >= HTTP_500_INTERNAL_SERVER_ERROR:
        logger.error("server error on %s %s", request.method, request.url.path, exc_info=error)
    lang = language(request)
    detail = gettext(lang, GENERIC_MESSAGES[status]) if status in GENERIC_MESSAGES else error.detail
    errors: list[dict[str, Any]] = []
    if status == HTTP_400_BAD_REQUEST:
        raw_items = error.extra if isinstance(error.extra, list) else [{"message": error.detail}]
        for item in raw_items:
            field, message = explain(str(item.get("message", "")), lang, item.get("key"))
            errors.append({"field": field, "message": message})
    return Response(body(status, detail, errors), status_code=status, headers=error.headers)


def on_unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    status = HTTP_500_INTERNAL_SERVER_ERROR
    return Response(
        body(status, gettext(language(request), GENERIC_MESSAGES[status])), status_code=status
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    HTTPException: on_http_error,
    Exception: on_unexpected_error,
}
