"""One JSON error shape for every failure: {"status_code", "detail", "errors": [{field, message}]}.

Messages are Indonesian first; a client asking for English (Accept-Language: en) gets English.
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

logger = logging.getLogger("ingatkan.api")

_STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: HTTP_400_BAD_REQUEST,
    NotFound: HTTP_404_NOT_FOUND,
    Forbidden: HTTP_403_FORBIDDEN,
    Conflict: HTTP_409_CONFLICT,
}
_GENERIC = {
    "id": {
        400: "Permintaan tidak valid.",
        401: "Silakan masuk terlebih dahulu.",
        403: "Akses ditolak.",
        404: "Tidak ditemukan.",
        405: "Metode tidak diizinkan.",
        409: "Konflik dengan status saat ini.",
        413: "Isi permintaan terlalu besar.",
        415: "Jenis konten tidak didukung; kirim application/json.",
        429: "Terlalu banyak permintaan; coba lagi nanti.",
        500: "Terjadi kesalahan pada server.",
    },
    "en": {
        400: "Invalid request.",
        401: "Please sign in first.",
        403: "Forbidden.",
        404: "Not found.",
        405: "Method not allowed.",
        409: "Conflicts with the current status.",
        413: "Request body too large.",
        415: "Unsupported content type; send application/json.",
        429: "Too many requests; try again later.",
        500: "Something went wrong on the server.",
    },
}
_AT_PATH = re.compile(r"\s*- at `\$\.?([^`]*)`$")
# msgspec's messages, said again in Indonesian; (pattern, Indonesian, English) with the
# captured groups filled in.
_MESSAGES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^Expected `(\w+)`, got `(\w+)`$"),
        "Harus berupa {0}, bukan {1}.",
        "Expected {0}, got {1}.",
    ),
    (
        re.compile(r"^Expected `\w+` (<=|>=|<|>) ([-\d.e+]+)$"),
        "Nilai harus {0} {1}.",
        "Value must be {0} {1}.",
    ),
    (
        re.compile(r"^Expected `str` of length <= (\d+)$"),
        "Paling panjang {0} karakter.",
        "At most {0} characters.",
    ),
    (
        re.compile(r"^Object contains unknown field `([^`]+)`$"),
        "Isian '{0}' tidak dikenal.",
        "Unknown field '{0}'.",
    ),
    (
        re.compile(r"^Object missing required field `([^`]+)`$"),
        "Isian '{0}' wajib diisi.",
        "Field '{0}' is required.",
    ),
    (
        re.compile(r"^Invalid enum value '([^']*)'$"),
        "Nilai '{0}' tidak diizinkan.",
        "Value '{0}' is not allowed.",
    ),
    (re.compile(r"^Number out of range$"), "Angka di luar rentang.", "Number out of range."),
    (
        re.compile(r"^'data'$"),
        "Isi permintaan kosong; kirim objek JSON.",
        "The request body is empty; send a JSON object.",
    ),
    (
        re.compile(r"^(JSON is malformed|Input data was truncated).*"),
        "JSON tidak valid.",
        "Malformed JSON.",
    ),
)


_TYPES_ID = {
    "str": "teks",
    "int": "bilangan bulat",
    "float": "angka",
    "bool": "true/false",
    "object": "objek",
    "array": "daftar",
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
    for pattern, message_id, message_en in _MESSAGES:
        match = pattern.match(raw)
        if match:
            if "field `" in pattern.pattern:
                field = ".".join(filter(None, (field, match.group(1))))
            groups = (
                match.groups() if lang == "en" else [_TYPES_ID.get(g, g) for g in match.groups()]
            )
            return field, (message_en if lang == "en" else message_id).format(*groups)
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
    detail = _GENERIC[lang].get(status, error.detail)
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
    return Response(body(status, _GENERIC[language(request)][status]), status_code=status)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    HTTPException: on_http_error,
    Exception: on_unexpected_error,
}
