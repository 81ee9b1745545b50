"""Signing in to the pages: the session cookie, CSRF tokens, lock-out, signing out."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import threading
import uuid

import httpx
import pytest
from litestar.stores.memory import MemoryStore
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.stores import RATE_LIMIT_STORE, SESSION_STORE, forget_expired
from config.settings import Settings
from core.staff import accounts
from core.staff.actors import Actor
from db.tables import User
from tests.pages.sessions import (
    CSRF_COOKIE,
    PASSWORD,
    SESSION_COOKIE,
    csrf_token,
    in_app,
    make_staff,
    post_form,
    sign_in,
)
from tests.ports import redis_url


async def test_sign_in_sets_a_fresh_httponly_samesite_session(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DLH")
    client.cookies.set(SESSION_COOKIE, "planted-by-someone-else")
    response = await sign_in(client, "dina")
    assert response.status_code == 303 and response.headers["location"] == "/officer"
    cookie = next(
        header for header in response.headers.get_list("set-cookie")
        if header.startswith(f"{SESSION_COOKIE}=")
    )  # fmt: skip
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    session_id = cookie.split(";")[0].split("=", 1)[1]
    assert session_id != "planted-by-someone-else" and len(session_id) == 64
    assert (await client.get("/officer", follow_redirects=False)).status_code == 200

    # The planted id was not given the sign-in.
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, "planted-by-someone-else")
    assert (await client.get("/officer", follow_redirects=False)).status_code == 302


async def test_sign_in_goes_back_to_the_page_asked_for_but_only_on_this_site(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "vera", "verifier")
    redirect = await client.get("/verifier?q=sampah", follow_redirects=False)
    assert redirect.status_code == 302
    assert redirect.headers["location"] == "/login?next=%2Fverifier%3Fq%3Dsampah"
    token = await csrf_token(client)
    for target, landing in (
        ("/verifier?q=sampah", "/verifier?q=sampah"),
        ("https://evil.example/", "/verifier"),
        ("//evil.example", "/verifier"),
    ):
        response = await client.post(
            "/login",
            data={"username": "vera", "password": PASSWORD, "next": target, "_csrf_token": token},
            follow_redirects=False,
        )
        assert response.headers["location"] == landing


async def test_form_posts_without_a_valid_csrf_token_are_refused(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DLH")
    await csrf_token(client)  # the browser has the cookie, the attacker's form lacks the token
    for form in ({}, {"_csrf_token": "0" * 128}, {"_csrf_token": "not-a-token"}):
        login = await client.post(
            "/login", data={"username": "dina", "password": PASSWORD, **form},
            follow_redirects=False,
        )  # fmt: skip
        assert login.status_code == 403
        assert SESSION_COOKIE not in login.headers.get("set-cookie", "")
    submitted = await client.post(
        "/laporan", data={"text": "Sampah menumpuk di depan pasar Blimbing sejak Senin"}
    )
    assert submitted.status_code == 403
    assert "Akses ditolak" in submitted.text  # a page, in the visitor's language
    assert (await client.get("/api/v1/reports/MLG-CCCCCC")).status_code == 404

    # A valid token from another browser does not match this browser's cookie.
    async with AsyncTestClient(app=client.app) as other_browser:
        foreign = await csrf_token(other_browser)
    assert foreign != client.cookies.get(CSRF_COOKIE)
    login = await client.post(
        "/login", data={"username": "dina", "password": PASSWORD, "_csrf_token": foreign},
        follow_redirects=False,
    )  # fmt: skip
    assert login.status_code == 403
    assert (await sign_in(client, "dina")).status_code == 303


async def test_lock_out_after_repeated_failures_until_an_admin_unlocks(
    client: AsyncTestClient,
) -> None:
    officer = make_staff(client, "dina", "officer", "DLH")
    for _ in range(accounts.MAX_FAILED_LOGINS):
        failed = await sign_in(client, "dina", "salah-tebak-99")
        assert failed.status_code == 400
    locked = await sign_in(client, "dina")
    assert locked.status_code == 400 and "dikunci sementara" in locked.text

    make_staff(client, "admin", "admin")
    assert (await sign_in(client, "admin")).status_code == 303
    assert "Terkunci" in (await client.get("/admin")).text
    unlock = await post_form(client, f"/admin/users/{officer.id}/unlock")
    assert unlock.status_code == 303
    await post_form(client, "/logout")
    assert (await sign_in(client, "dina")).status_code == 303


async def test_sign_out_and_deactivation_end_the_session(client: AsyncTestClient) -> None:
    officer = make_staff(client, "dina", "officer", "DLH")
    await sign_in(client, "dina")
    assert (await post_form(client, "/logout")).status_code == 303
    assert (await client.get("/officer", follow_redirects=False)).status_code == 302

    await sign_in(client, "dina")
    in_app(client, accounts.set_active, user_id=officer.id, active=False, actor=Actor.system())
    assert (await client.get("/officer", follow_redirects=False)).status_code == 302
    assert (await client.get("/api/v1/queue")).status_code == 401


async def test_sessions_live_in_redis_when_configured(database_url: str) -> None:
    """A sign-in on one app process is known to the next one through Redis, as it would be
    to another replica; with the default in-memory store it is not."""
    secret = uuid.uuid4().hex
    for store_url, known_to_the_next in ((redis_url(), True), (None, False)):
        settings = Settings(
            database_url=database_url, rate_limit=None, redis_url=store_url, secret_key=secret
        )
        async with AsyncTestClient(app=create_app(settings)) as first:
            if store_url:
                make_staff(first, "dina", "officer", "DLH")
            assert (await sign_in(first, "dina")).status_code == 303
            cookies = dict(first.cookies)
        async with AsyncTestClient(app=create_app(settings), cookies=cookies) as second:
            response = await second.get("/officer", follow_redirects=False)
            assert response.status_code == (200 if known_to_the_next else 302)
            if known_to_the_next:
                assert (await post_form(second, "/logout")).status_code == 303
                assert (await second.get("/officer", follow_redirects=False)).status_code == 302


_ERROR = re.compile(r'<div class="flash flash-error" role="alert">([^<]+)</div>')


async def test_every_refusal_reads_the_same_on_the_page_and_the_api(
    client: AsyncTestClient,
) -> None:
    """Unknown name, wrong password, deactivated or locked account: one status, one text,
    so a refusal does not tell whether the account exists."""
    make_staff(client, "dina", "officer", "DLH")
    make_staff(client, "lena", "officer", "DLH")
    dewi = make_staff(client, "dewi", "officer", "DLH")
    in_app(client, accounts.set_active, user_id=dewi.id, active=False, actor=Actor.system())
    for _ in range(accounts.MAX_FAILED_LOGINS):
        await sign_in(client, "lena", "salah-tebak-99")
    cases = (
        ("nobody", PASSWORD),
        ("dina", "salah-tebak-99"),
        ("dewi", PASSWORD),
        ("lena", PASSWORD),
    )

    pages = [await sign_in(client, name, password) for name, password in cases]
    assert {page.status_code for page in pages} == {400}
    assert len({_ERROR.search(page.text).group(1) for page in pages}) == 1

    answers = [
        await client.post("/api/v1/session", json={"username": name, "password": password})
        for name, password in cases
    ]
    assert {answer.status_code for answer in answers} == {400}
    assert len({answer.content for answer in answers}) == 1
    english = await client.post(
        "/api/v1/session",
        json={"username": "lena", "password": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert "locked" in english.json()["detail"] and "Wrong username" in english.json()["detail"]


async def test_health_is_answered_while_a_sign_in_is_being_hashed(
    client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scrypt runs beside the event loop, not on it: while a sign-in's password is being
    checked, other requests are answered."""
    make_staff(client, "dina", "officer", "DLH")
    salt = base64.b64decode(in_app(client, _password_hash, username="dina").split("$")[4])
    checking, go_on = threading.Event(), threading.Event()
    went_on: list[bool] = []
    real_scrypt = hashlib.scrypt

    def held_scrypt(password: bytes, **kwargs: object) -> bytes:
        if kwargs.get("salt") == salt:  # dina's check waits until the test lets it go on
            checking.set()
            went_on.append(go_on.wait(timeout=5))
        return real_scrypt(password, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", held_scrypt)

    async def sign_in_and_ask_for_health() -> tuple[int, int, bool]:
        # On the app's own loop, as concurrent requests to a server would be.
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            signing_in = asyncio.create_task(
                http.post("/api/v1/session", json={"username": "dina", "password": PASSWORD})
            )
            await asyncio.to_thread(checking.wait, 5)
            health = await http.get("/health")
            still_checking = not signing_in.done()
            go_on.set()
            return (await signing_in).status_code, health.status_code, still_checking

    signed_in, health, still_checking = client.blocking_portal.call(sign_in_and_ask_for_health)
    assert health == 200 and still_checking
    assert went_on == [True]  # the check was still held when /health was answered
    assert signed_in == 200


async def _password_hash(username: str) -> str:
    row = await User.select(User.password_hash).where(User.username == username).first()
    return row["password_hash"]


async def test_a_password_reset_or_deactivation_ends_the_sessions_before_it(
    client: AsyncTestClient,
) -> None:
    officer = make_staff(client, "dina", "officer", "DLH")
    make_staff(client, "admin", "admin")
    assert (await sign_in(client, "dina")).status_code == 303
    dina = dict(client.cookies)  # two browsers, one client: each keeps its own cookies
    client.cookies.clear()
    assert (await sign_in(client, "admin")).status_code == 303
    admin = dict(client.cookies)

    async def as_admin(change: str, data: dict[str, str] | None = None) -> None:
        client.cookies.clear()
        client.cookies.update(admin)
        changed = await post_form(client, f"/admin/users/{officer.id}/{change}", data)
        assert changed.status_code == 303

    async def dina_is_signed_in() -> bool:
        client.cookies.clear()
        client.cookies.update(dina)
        page = await client.get("/officer", follow_redirects=False)
        api = await client.get("/api/v1/queue")
        assert (page.status_code == 200) == (api.status_code == 200)
        return page.status_code == 200

    assert await dina_is_signed_in()
    new_password = "kata-sandi-baru-456"
    await as_admin("password", {"password": new_password})
    assert not await dina_is_signed_in()

    client.cookies.clear()
    assert (await sign_in(client, "dina", new_password)).status_code == 303
    dina = dict(client.cookies)
    assert await dina_is_signed_in()
    await as_admin("deactivate", {"confirm": "1"})
    assert not await dina_is_signed_in()
    await as_admin("activate")
    assert not await dina_is_signed_in()  # reactivated, but that session stays ended
    client.cookies.clear()
    assert (await sign_in(client, "dina", new_password)).status_code == 303
    assert (await client.get("/officer", follow_redirects=False)).status_code == 200


def _set_cookies(response: httpx.Response) -> list[str]:
    return response.headers.get_list("set-cookie")


async def test_cookies_are_secure_over_https_only(client: AsyncTestClient) -> None:
    """Secure when the request came over HTTPS (the scheme a trusted proxy passed on), and
    not over plain http, where local development signs in too."""
    make_staff(client, "dina", "officer", "DLH")
    for scheme, secure in (("https", True), ("http", False)):
        client.cookies.clear()
        form = await client.get(f"{scheme}://testserver.local/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
        signed_in = await client.post(
            f"{scheme}://testserver.local/login",
            data={"username": "dina", "password": PASSWORD, "_csrf_token": token},
            headers={"cookie": f"{CSRF_COOKIE}={form.cookies[CSRF_COOKIE]}"},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        cookies = _set_cookies(form) + _set_cookies(signed_in)
        assert {CSRF_COOKIE, SESSION_COOKIE} <= {cookie.split("=", 1)[0] for cookie in cookies}
        assert all(("secure" in cookie.lower().split("; ")) == secure for cookie in cookies)


async def test_a_session_is_kept_only_while_something_is_stored_in_it(
    client: AsyncTestClient,
) -> None:
    store = client.app.stores.get(SESSION_STORE)
    assert isinstance(store, MemoryStore)
    make_staff(client, "dina", "officer", "DLH")
    for _ in range(100):
        for path in ("/health", "/api/v1/departments", "/"):
            response = await client.get(path)
            assert response.status_code == 200
            assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
            if path != "/":  # no form there, so no CSRF cookie either
                assert "set-cookie" not in response.headers
    assert len(store._store) == 0

    assert (await sign_in(client, "dina")).status_code == 303
    assert (await client.get("/officer")).status_code == 200  # the welcome shown
    assert len(store._store) == 1
    assert (await post_form(client, "/logout")).status_code == 303
    assert len(store._store) == 0


async def test_expired_entries_are_swept_from_the_memory_stores(client: AsyncTestClient) -> None:
    """A MemoryStore forgets an expired entry only when it is read; the sweep forgets the
    ones nobody reads again, in the session and the rate-limit stores."""
    stores = [client.app.stores.get(name) for name in (SESSION_STORE, RATE_LIMIT_STORE)]
    for store in stores:
        await store.set("gone-soon", b"{}", expires_in=1)
        await store.set("still-here", b"{}", expires_in=3600)
    await asyncio.sleep(1.1)
    client.blocking_portal.call(forget_expired, client.app)
    for store in stores:
        assert set(store._store) == {"still-here"}
