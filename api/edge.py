"""The edge: what no handler should ever see, refused before any of them runs.

- A path or query string with control characters (NUL first of all: PostgreSQL refuses it in
  text, so it would fail deep in a query) is answered 400, naming the parameter.
- A path id beyond the database's integer range names nothing: 404.
- JSON and form values with NUL, and JSON nested deeper than anything the product reads, are
  refused when the body is parsed (`CheckedRequest`), for every handler that reads one,
  naming the field.

Errors raised here go through the matched route's own exception handlers, so a page answers
with a page and Open311 in its own format.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException
from litestar.types import ASGIApp, Receive, Scope, Send

from core.errors import InvalidInput
from core.input_rules import refuse_control, refuse_nul
from i18n import N_

# Ids are Piccolo Serial columns: `integer` on PostgreSQL, 32 bits signed.
_ID_RANGE = range(-(2**31), 2**31)
# Deeper than any body the product takes (a Telegram update nests about ten levels); msgspec
# itself gives up near a thousand with a RecursionError.
MAX_JSON_DEPTH = 64


def _too_deep() -> InvalidInput:
    return InvalidInput(
        N_("JSON bersarang terlalu dalam (paling banyak %(max_json_depth)s tingkat)."),
        max_json_depth=MAX_JSON_DEPTH,
    )


def edge_middleware(app: ASGIApp) -> ASGIApp:
    """Checks the decoded path, the query string and the path ids of every HTTP request."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            path_params = scope.get("path_params", {})
            for name, value in path_params.items():
                if isinstance(value, str):
                    refuse_control(value, field=name)
                elif type(value) is int and value not in _ID_RANGE:
                    raise NotFoundException()
            refuse_control(scope["path"], field="path")
            query = scope.get("query_string", b"").decode("latin-1")
            for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
                refuse_control(name, field=None)
                refuse_control(value, field=name)
        await app(scope, receive, send)

    return middleware


def _strings(value: Any) -> Iterator[tuple[str | None, str]]:
    """(field, text) for every key and string in decoded JSON, refusing deep nesting; walked
    with a stack, not recursion, so depth costs nothing."""
    stack: list[tuple[str | None, Any, int]] = [(None, value, 1)]
    while stack:
        field, item, depth = stack.pop()
        if isinstance(item, str):
            yield field, item
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, inner in pairs:
                if isinstance(key, str):
                    yield field, key
                    inner_field = f"{field}.{key}" if field else key
                else:
                    inner_field = f"{field or ''}[{key}]"
                stack.append((inner_field, inner, depth + 1))


class CheckedRequest(Request[Any, Any, Any]):
    """The app's request: its parsed bodies hold only values the database can store."""

    async def json(self) -> Any:
        try:
            value = await super().json()
        except RecursionError:
            raise _too_deep() from None
        for field, text in _strings(value):
            refuse_nul(text, field=field)
        return value

    async def form(self) -> FormMultiDict:
        form = await super().form()
        for name, value in form.multi_items():
            refuse_nul(name, field=None)
            if isinstance(value, str):
                refuse_nul(value, field=name)
        return form
