"""Every route of the app, taken from the app itself, gets hostile values: NUL in each path
parameter, each query parameter the handler declares and each field its body declares (the
fields of its JSON or form struct), an id beyond the database's integer range, and JSON
nested 20,000 levels deep. Signed in as an admin, with the CSRF token for forms. None of it
may answer 500, and a page answers with a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args
from urllib.parse import quote

import msgspec
from litestar.enums import RequestEncodingType
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

import api.pages
from tests.pages.sessions import csrf_token, make_staff, sign_in

PAGES = api.pages.__name__ + "."
NUL = "\u0000"
BEYOND = ("99999999999999999999", str(2**63), str(2**31))
DEEP = b"[" * 20_000 + b"]" * 20_000
# What a handler declares but a client does not send.
_NOT_SENT = {"request", "data", "scope", "state", "router", "headers", "cookies"}


@dataclass
class Endpoint:
    method: str
    path: str  # with {name} placeholders
    path_types: dict[str, type]
    query: list[str] = field(default_factory=list)
    int_query: list[str] = field(default_factory=list)  # page=, limit=
    json_fields: list[str] = field(default_factory=list)
    form_fields: list[str] = field(default_factory=list)
    page: bool = False


def _struct_fields(annotation: Any) -> list[str]:
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, msgspec.Struct):
            return [f.encode_name for f in msgspec.structs.fields(candidate)]
    return []


def _endpoints(client: AsyncTestClient) -> list[Endpoint]:
    found = []
    for route in client.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            methods = handler.http_methods - {"OPTIONS", "HEAD"}
            if not methods:
                continue
            parameters = handler.parsed_fn_signature.parameters
            query, int_query = [], []
            for name, definition in parameters.items():
                kind = type(definition.kwarg_definition).__name__
                if name in route.path_parameters or name in _NOT_SENT:
                    continue
                if kind in ("QueryParameter", "ParameterKwarg", "NoneType"):
                    alias = getattr(definition.kwarg_definition, "query", None) or getattr(
                        definition.kwarg_definition, "name", None
                    )
                    query.append(alias or name)
                    if definition.annotation is int:
                        int_query.append(alias or name)
            data = parameters.get("data")
            fields = _struct_fields(data.annotation) if data else []
            form = data is not None and (
                getattr(data.kwarg_definition, "media_type", None)
                == RequestEncodingType.URL_ENCODED
            )
            # Controllers are Routers once registered: a page is a handler of api/pages/.
            page = handler.fn.__module__.startswith(PAGES)
            for method in sorted(methods):
                found.append(
                    Endpoint(
                        method=method,
                        path=route.path_format,
                        path_types={
                            name: definition.type
                            for name, definition in route.path_parameters.items()
                        },
                        query=query,
                        int_query=int_query,
                        json_fields=[] if form else fields,
                        form_fields=fields if form else [],
                        page=page,
                    )
                )
    return found


def _filled(endpoint: Endpoint, **given: str) -> str:
    values = {
        name: given.get(name, "1" if kind is int else "x")
        for name, kind in endpoint.path_types.items()
    }
    return endpoint.path.format(**values)


async def test_no_route_answers_500_to_hostile_values(client: AsyncTestClient) -> None:
    make_staff(client, "admin", "admin")
    assert (await sign_in(client, "admin")).status_code == 303
    endpoints = _endpoints(client)
    assert len(endpoints) > 60, len(endpoints)
    forms = {(e.path, name) for e in endpoints for name in e.form_fields}
    assert {("/laporan", "text"), ("/admin/departments/{code}", "active")} <= forms, forms
    sent: list[str] = []
    failures: list[str] = []

    async def send(endpoint: Endpoint, path: str, **kwargs: Any) -> None:
        if endpoint.page and "data" in kwargs:
            kwargs["data"] = {**kwargs["data"], "_csrf_token": await csrf_token(client)}
        response = await client.request(endpoint.method, path, follow_redirects=False, **kwargs)
        label = f"{endpoint.method} {path[:80]!r} {str(kwargs)[:80]}"
        sent.append(label)
        content_type = response.headers.get("content-type", "")
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code} {response.text[:200]}")
        elif endpoint.page and response.status_code >= 400 and "text/html" not in content_type:
            failures.append(f"{label}: {response.status_code} as {content_type}")
        if "/logout" in path or (endpoint.path == "/api/v1/session" and endpoint.method != "GET"):
            await sign_in(client, "admin")  # stay signed in for the routes that follow

    for endpoint in endpoints:
        for name, kind in endpoint.path_types.items():
            if kind is int:  # (NUL is not an int: no route matches it)
                for number in BEYOND:
                    await send(endpoint, _filled(endpoint, **{name: number}))
            else:
                await send(endpoint, _filled(endpoint, **{name: "%00"}))
        for name in endpoint.query:
            await send(endpoint, f"{_filled(endpoint)}?{quote(name)}=%00")
            for number in BEYOND if name in endpoint.int_query else ():
                await send(endpoint, f"{_filled(endpoint)}?{quote(name)}={number}")
        if endpoint.method in ("POST", "PUT", "PATCH"):
            for name in endpoint.json_fields:
                await send(endpoint, _filled(endpoint), json={name: NUL})
            for name in endpoint.form_fields:
                await send(endpoint, _filled(endpoint), data={name: f"a{NUL}b"})
            await send(
                endpoint,
                _filled(endpoint),
                content=DEEP,
                headers={"content-type": "application/json"},
            )
    assert not failures, f"{len(failures)} of {len(sent)}:\n" + "\n".join(failures)
    # The walk reached what the security issue named.
    for expected in ("/open311/v2/tokens/", "/static/", "/leadership/department/", "/head/"):
        assert any(expected in label for label in sent), expected
    assert any("/open311/v2/requests.json" in label and "service_code" in label for label in sent)
