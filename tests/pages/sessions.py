"""Helpers for tests that act as staff over HTTP: accounts, sign-in, CSRF tokens, and
running domain calls next to the app under test."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from litestar.testing import AsyncTestClient

from core.staff.actors import Actor
from core.staff.models import NewUser
from core.staff.users import create_user

PASSWORD = "kata-sandi-uji-123"
CSRF_COOKIE = "ingatkan_csrf"
SESSION_COOKIE = "ingatkan_session"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
T = TypeVar("T")


def in_app(client: AsyncTestClient, work: Callable[..., Awaitable[T]], **kwargs: Any) -> T:
    """Run a domain call on the app's event loop, where the app's database engine lives
    (the test client runs the app in a thread of its own)."""
    return client.blocking_portal.call(partial(work, **kwargs))


def make_staff(
    client: AsyncTestClient, username: str, role: str, department: str | None = None
) -> NewUser:
    return in_app(
        client,
        create_user,
        username=username,
        full_name=username.title(),
        password=PASSWORD,
        role=role,
        department_code=department,
        actor=Actor.system(),
    )


async def csrf_token(client: AsyncTestClient) -> str:
    """The token forms carry: taken from a page, as a browser would."""
    page = await client.get("/login")
    match = _TOKEN.search(page.text)
    assert match, "the login page has no CSRF token"
    return match.group(1)


async def sign_in(client: AsyncTestClient, username: str, password: str = PASSWORD) -> Any:
    token = await csrf_token(client)
    return await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )


async def post_form(client: AsyncTestClient, path: str, data: dict[str, str] | None = None) -> Any:
    token = await csrf_token(client)
    return await client.post(
        path, data={**(data or {}), "_csrf_token": token}, follow_redirects=False
    )
