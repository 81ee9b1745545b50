"""Signing in to the pages: the session cookie, CSRF tokens, lock-out, signing out."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from api.app import create_app
from core import accounts
from core.settings import Settings
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
    assert "Nama pengguna atau kata sandi salah" not in failed.text
    assert "dikunci" in failed.text
    locked = await sign_in(client, "dina")
    assert locked.status_code == 400 and "dikunci" in locked.text

    make_staff(client, "admin", "admin")
    assert (await sign_in(client, "admin")).status_code == 303
    assert "Terkunci" in (await client.get("/admin")).text
    unlock = await post_form(client, f"/admin/users/{officer['id']}/unlock")
    assert unlock.status_code == 303
    await post_form(client, "/logout")
    assert (await sign_in(client, "dina")).status_code == 303


async def test_sign_out_and_deactivation_end_the_session(client: AsyncTestClient) -> None:
    officer = make_staff(client, "dina", "officer", "DLH")
    await sign_in(client, "dina")
    assert (await post_form(client, "/logout")).status_code == 303
    assert (await client.get("/officer", follow_redirects=False)).status_code == 302

    await sign_in(client, "dina")
    in_app(client, accounts.set_active, user_id=officer["id"], active=False, acting_user_id=0)
    assert (await client.get("/officer", follow_redirects=False)).status_code == 302
    assert (await client.get("/api/v1/queue")).status_code == 401


async def test_sessions_live_in_redis_when_configured(database_url: str) -> None:
    """A sign-in on one app process is known to the next one through Redis, as it would be
    to another replica; with the default in-memory store it is not."""
    secret = uuid.uuid4().hex
    for redis_url, known_to_the_next in (("redis://127.0.0.1:6379/0", True), (None, False)):
        settings = Settings(
            database_url=database_url, rate_limit=None, redis_url=redis_url, secret_key=secret
        )
        async with AsyncTestClient(app=create_app(settings)) as first:
            if redis_url:
                make_staff(first, "dina", "officer", "DLH")
            assert (await sign_in(first, "dina")).status_code == 303
            cookies = dict(first.cookies)
        async with AsyncTestClient(app=create_app(settings), cookies=cookies) as second:
            response = await second.get("/officer", follow_redirects=False)
            assert response.status_code == (200 if known_to_the_next else 302)
            if known_to_the_next:
                assert (await post_form(second, "/logout")).status_code == 303
                assert (await second.get("/officer", follow_redirects=False)).status_code == 302
