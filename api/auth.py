"""Staff sessions: server-side, behind an HttpOnly SameSite cookie that holds only a random id.

The session store is in memory for one process, or Redis when INGATKAN_REDIS_URL is set so
several replicas share sign-ins. Signing in gives the browser a new session id, so an id
planted before sign-in (session fixation) is worth nothing afterwards.

A session exists only while something is stored in it (a sign-in, a one-time message): a
request that stores nothing gets no cookie and leaves nothing in the store, so /health,
static files and the public API do not fill it. A session also remembers the account's
session_version, so a changed password, role or department, or a deactivation, ends it.
Cookies are Secure when the request came over HTTPS (the scheme uvicorn took from a trusted
proxy's X-Forwarded-Proto), and plain over http for local development.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import ASGIApp, Empty, Message, Receive, Scope, ScopeSession, Send

from api.stores import SESSION_STORE
from config.settings import Settings
from core.staff.accounts import staff_member
from core.staff.actors import Actor, ActorKind, Role
from core.staff.models import StaffMember

SESSION_COOKIE = "ingatkan_session"
SESSION_MAX_AGE = 8 * 60 * 60  # one working day
_USER_ID = "user_id"
_VERSION = "session_version"
_SHOWN_ONCE = "shown_once"
_FLASHES = "flashes"
_FRESH_ID = "ingatkan.fresh_session_id"
_LOADED = "ingatkan.staff_user"


class _RotatingBackend(ServerSideSessionBackend):
    """Stores the session under a fresh id when the request asked for one (at sign-in)."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        fresh = connection.scope.get("state", {}).get(_FRESH_ID)
        return fresh or super().get_session_id(connection)

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        if scope_session is not Empty and scope_session:
            await super().store_in_message(scope_session, message, connection)
        elif connection.cookies.get(self.config.key):
            # Emptied (signed out, last message shown): free it and forget the cookie.
            await super().store_in_message(Empty, message, connection)
        # Nothing stored and no cookie: no session, no Set-Cookie.


class _SessionConfig(ServerSideSessionConfig):
    _backend_class = _RotatingBackend


# Routes that never read or write a session skip its middleware: a citizen's report through
# the API, Open311, the Telegram webhook, probes, metrics and static files pay nothing for
# staff sign-ins. (The staff JSON API under /api/v1 signs in with the session cookie.)
SESSION_FREE = [
    "^/api/v1/reports",
    "^/open311/",
    "^/telegram/",
    "^/health$",
    "^/metrics$",
    "^/static/",
]


def session_config() -> ServerSideSessionConfig:
    return _SessionConfig(
        key=SESSION_COOKIE,
        exclude=SESSION_FREE,
        store=SESSION_STORE,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        renew_on_access=True,
    )


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    full_name: str
    role: Role
    department_id: int | None
    department_code: str | None
    department_name: str | None

    @property
    def actor(self) -> Actor:
        return Actor(
            kind=ActorKind.OFFICER,
            user_id=self.id,
            role=self.role,
            department_id=self.department_id,
        )


def _staff_user(member: StaffMember) -> StaffUser:
    return StaffUser(
        id=member.id,
        username=member.username,
        full_name=member.full_name,
        role=member.role,
        department_id=member.department_id,
        department_code=member.department_code,
        department_name=member.department_name,
    )


async def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffUser | None:
    """The signed-in, still active staff member, read once per request."""
    state = connection.scope.setdefault("state", {})
    if _LOADED not in state:
        user_id = connection.session.get(_USER_ID)
        member = await staff_member(user_id) if isinstance(user_id, int) else None
        if member and member.session_version != connection.session.get(_VERSION):
            member = None  # signed in before a password, role or active change
        state[_LOADED] = _staff_user(member) if member else None
    user: StaffUser | None = state[_LOADED]
    return user


def loaded_user(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffUser | None:
    """The staff member if this request already looked them up; never touches the database
    (for error pages, which are rendered synchronously)."""
    return connection.scope.get("state", {}).get(_LOADED)


async def require_user(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffUser:
    user = await current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    return user


async def signed_in_user(request: Request[Any, Any, Any]) -> StaffUser:
    """The `user` dependency of handlers behind a guard (api/guards.py): the staff member the
    guard already loaded for this request, not looked up again."""
    return await require_user(request)


async def sign_in(
    connection: ASGIConnection[Any, Any, Any, Any], user_id: int, session_version: int
) -> None:
    old_id = connection.cookies.get(SESSION_COOKIE)
    if old_id:
        await connection.app.stores.get(SESSION_STORE).delete(old_id)
    state = connection.scope.setdefault("state", {})
    state[_FRESH_ID] = secrets.token_hex(32)
    state.pop(_LOADED, None)
    connection.set_session({_USER_ID: user_id, _VERSION: session_version})


def sign_out(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    connection.clear_session()


def flash(connection: ASGIConnection[Any, Any, Any, Any], kind: str, id_: str, en: str) -> None:
    """A one-time message for the next page this visitor sees, in both languages."""
    flashes = list(connection.session.get(_FLASHES, []))
    flashes.append({"kind": kind, "id": id_, "en": en})
    connection.session[_FLASHES] = flashes


def take_flashes(connection: ASGIConnection[Any, Any, Any, Any]) -> list[dict[str, str]]:
    if _FLASHES not in connection.session:
        return []
    flashes: list[dict[str, str]] = connection.session.pop(_FLASHES)
    return flashes


def keep_for_next_page(
    connection: ASGIConnection[Any, Any, Any, Any], value: dict[str, str]
) -> None:
    """What a form made that is shown once (a key, a link code): kept in the server-side
    session across the redirect after the form, for the next page only."""
    connection.session[_SHOWN_ONCE] = value


def take_kept(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, str] | None:
    if _SHOWN_ONCE not in connection.session:
        return None
    kept: dict[str, str] = connection.session.pop(_SHOWN_ONCE)
    return kept


def secure_cookies_middleware(app: ASGIApp) -> ASGIApp:
    """Marks every cookie Secure on a request that came over HTTPS (session, CSRF, language),
    so a browser never sends them back in clear; over http they stay as they are."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("scheme") != "https":
            await app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                cookies = headers.getall("set-cookie", [])
                if cookies:
                    del headers["set-cookie"]
                    for cookie in cookies:
                        secure = "secure" in cookie.lower().replace(" ", "").split(";")
                        headers.add("set-cookie", cookie if secure else f"{cookie}; Secure")
            await send(message)

        await app(scope, receive, send_secure)

    return middleware


# JSON-only endpoints and the Telegram webhook carry no browser form, so no CSRF token; see
# api/officer_api.py for why JSON with a SameSite cookie is safe without one. Probes, metrics
# and static files only answer GET: no token cookie for them either.
CSRF_EXEMPT = ["^/api/", "^/open311/", "^/telegram/", "^/health$", "^/metrics$", "^/static/"]


def csrf_config(settings: Settings) -> CSRFConfig:
    """A token on every form: a double-submit cookie, HMAC-signed with the secret key (a
    random one per process when none is configured, fine for a single process)."""
    return CSRFConfig(
        secret=settings.secret_key or secrets.token_hex(32),
        cookie_name="ingatkan_csrf",
        cookie_httponly=True,
        cookie_samesite="lax",
        exclude=CSRF_EXEMPT,
    )
