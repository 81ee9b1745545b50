"""Input from the security issue that once answered 500: each now gets a 4xx in the user's
language, as JSON for the API and as a page for pages, on both engines."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

from core import clock
from core.integrations import webhooks
from core.staff.actors import Actor
from tests.helpers import perform, report_in
from tests.pages.sessions import PASSWORD, in_app, make_staff, post_form, sign_in

NUL = "\u0000"
TEXT = "Lampu jalan di Jl. Kawi mati sejak tiga hari, gelap sekali di malam hari"
BEYOND_BIGINT = "99999999999999999999"


def assert_json_4xx(response: Any, *, field: str | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
    return body


def assert_page_4xx(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html"), response.text[:300]


async def _admin(client: AsyncTestClient) -> None:
    make_staff(client, "admin", "admin")
    assert (await sign_in(client, "admin")).status_code == 303


async def test_nul_in_paths_and_query_strings(client: AsyncTestClient) -> None:
    await _admin(client)
    for path in (
        "/open311/v2/tokens/%00.json",
        "/static/%00",
        "/api/v1/reports/MLG-%00",
        "/api/v1/exports/reports.csv?department=%00",
        "/api/v1/exports/reports.csv?status=open%00",
        "/api/v1/queue?department=DLH&q=%00",
        "/open311/v2/requests.json?service_code=%00",
    ):
        assert_json_4xx(await client.get(path))
    # A NUL in a path parameter is refused naming the parameter.
    assert_json_4xx(await client.get("/api/v1/reports/%00"), field="tracking_code")
    english = await client.get("/api/v1/queue?q=a%00b", headers={"accept-language": "en"})
    assert assert_json_4xx(english, field="q")["errors"][0]["message"] == (
        "Control characters (such as NUL) are not allowed."
    )
    # Pages answer with a page, in the page's language.
    for path in ("/leadership/department/%00", "/officer?q=%00", "/lacak/%00"):
        assert_page_4xx(await client.get(path))
    page = await client.get("/leadership/department/%00")
    assert "Karakter kontrol (seperti NUL) tidak diizinkan." in page.text


async def test_nul_in_json_bodies(client: AsyncTestClient) -> None:
    signed_in = await client.post("/api/v1/session", json={"username": NUL, "password": "x"})
    assert_json_4xx(signed_in, field="username")
    report = await client.post("/api/v1/reports", json={"text": TEXT, "policy": f"P{NUL}"})
    body = assert_json_4xx(report, field="policy")
    assert body["errors"][0]["message"] == "Karakter kontrol (seperti NUL) tidak diizinkan."
    nested = await client.post(
        "/api/v1/reports", json={"text": TEXT, "reporter": {"name": f"A{NUL}"}}
    )
    assert_json_4xx(nested, field="reporter.name")
    # Nor a lone surrogate, the other text PostgreSQL cannot store.
    surrogate = await client.post(
        "/api/v1/reports",
        content=b'{"text": "' + TEXT.encode() + b'", "address": "\\ud800"}',
        headers={"content-type": "application/json"},
    )
    assert_json_4xx(surrogate)
    # An escaped backslash before "u0000" is an ordinary text, not a NUL.
    fine = await client.post("/api/v1/reports", json={"text": TEXT + " \\u0000"})
    assert fine.status_code == 201, fine.text

    make_staff(client, "petugas", "officer", "DPUPRPKP")
    signed_in = await client.post(
        "/api/v1/session", json={"username": "petugas", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    code = in_app(client, report_in, status="open").tracking_code
    note = await client.post(f"/api/v1/staff/reports/{code}/notes", json={"text": f"a{NUL}b"})
    assert_json_4xx(note, field="text")

    in_app(client, webhooks.register_webhook, department_code="DPUPRPKP",
           url="https://pu.example/h", secret="rahasia-dinas-pu-123",
           allowed_hosts=frozenset(), actor=Actor.system())  # fmt: skip
    raw = json.dumps(
        {"id": "pu-1", "tracking_code": code, "action": "respond", "note": f"x{NUL}"}
    ).encode()
    signature = "sha256=" + hmac.new(b"rahasia-dinas-pu-123", raw, hashlib.sha256).hexdigest()
    inbound = await client.post(
        "/api/v1/departments/DPUPRPKP/inbound",
        content=raw,
        headers={"content-type": "application/json", "x-ingatkan-signature": signature},
    )
    assert_json_4xx(inbound, field="note")


async def test_nul_in_forms(client: AsyncTestClient) -> None:
    login = await sign_in(client, f"admin{NUL}")
    assert_page_4xx(login)
    assert "NUL" in login.text
    await _admin(client)
    for path, form in (
        ("/head/templates", {"department": "DLH", "title": f"t{NUL}", "body": "isi balasan"}),
        ("/admin/users", {"username": f"baru{NUL}", "role": "verifier", "password": "x" * 16}),
        ("/admin/policies", {"code": f"P{NUL}", "title": "t", "summary": "s"}),
        ("/laporan", {"text": TEXT, "policy": f"P{NUL}"}),
    ):
        assert_page_4xx(await post_form(client, path, form))


async def test_deep_json_is_refused(client: AsyncTestClient) -> None:
    deep = b'{"text": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    response = await client.post(
        "/api/v1/reports", content=deep, headers={"content-type": "application/json"}
    )
    assert_json_4xx(response)
    deep_in_string = json.dumps({"text": TEXT + " " + "[" * 300}).encode()
    fine = await client.post(
        "/api/v1/reports", content=deep_in_string, headers={"content-type": "application/json"}
    )
    assert fine.status_code == 201, fine.text


async def test_ids_beyond_the_database_range_are_not_found(client: AsyncTestClient) -> None:
    await _admin(client)
    for number in (BEYOND_BIGINT, str(2**63), str(2**31)):
        for path in (
            f"/api/v1/admin/webhooks/{number}/deliveries",
            f"/api/v1/admin/webhooks/{number}/deactivate",
        ):
            call = client.get if path.endswith("deliveries") else client.post
            response = await call(path)
            assert response.status_code == 404, (path, response.text)
            assert response.json()["detail"] == "Tidak ditemukan."
        for path in (
            f"/admin/integrations/webhooks/{number}",
            f"/policies/reviews/{number}",
        ):
            assert (await client.get(path)).status_code == 404
            assert_page_4xx(await client.get(path))
        for path in (
            f"/head/templates/{number}/delete",
            f"/admin/users/{number}/deactivate",
            f"/admin/integrations/keys/{number}/revoke",
        ):
            response = await post_form(client, path, {"confirm": "1"})
            assert response.status_code == 404, (path, response.text[:200])
            assert_page_4xx(response)


async def test_a_rating_that_is_not_a_plain_digit(client: AsyncTestClient) -> None:
    created = in_app(client, report_in, status="triage")
    code, key = created.tracking_code, created.follow_up_key
    for action in ("route", "acknowledge", "resolve"):
        in_app(client, perform, action=action, code=code)
    response = await post_form(client, f"/lacak/{code}/selesai", {"key": key, "rating": "²"})
    assert_page_4xx(response)
    assert "Penilaian harus 1 sampai 5." in response.text


async def test_open311_dates_at_the_ends_of_the_calendar(client: AsyncTestClient) -> None:
    with clock.frozen_at(datetime(2026, 3, 2, 3, 0, tzinfo=UTC)):
        for query in (
            "start_date=9999-12-31T23:59:59Z",
            "end_date=0001-01-01T00:00:00Z",
            "start_date=0001-01-01T00:00:00",
            "end_date=9999-12-31T23:59:59",
        ):
            response = await client.get(f"/open311/v2/requests.json?{query}")
            assert response.status_code == 400, (query, response.text)
            field = query.split("=")[0]
            assert field in response.json()[0]["description"], response.text


async def test_export_refuses_dates_it_cannot_place_before_the_first_byte(
    client: AsyncTestClient,
) -> None:
    await _admin(client)
    for query in ("from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=0001-01-02"):
        response = await client.get(f"/api/v1/exports/reports.csv?{query}")
        field = query.split("=")[0]
        assert_json_4xx(response, field=field)
    fine = await client.get("/api/v1/exports/reports.csv?from=2026-01-01&to=2026-01-31")
    assert fine.status_code == 200


# Zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen, a direction mark.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e" * 4


async def test_invisible_text_is_not_a_report_at_any_door(client: AsyncTestClient) -> None:
    api = await client.post("/api/v1/reports", json={"text": INVISIBLE + "abc"})
    assert api.status_code == 400
    assert api.json()["errors"] == [
        {"field": "text", "message": "Ceritakan masalahnya minimal 10 karakter."}
    ]
    page = await post_form(client, "/laporan", {"text": INVISIBLE})
    assert_page_4xx(page)
    assert "minimal 10 karakter" in page.text
    # Ten visible characters among invisible ones are enough.
    fine = await client.post("/api/v1/reports", json={"text": "Jalan\u200brusak parah"})
    assert fine.status_code == 201, fine.text


async def test_emoji_and_punctuation_alone_are_not_a_report(client: AsyncTestClient) -> None:
    response = await client.post("/api/v1/reports", json={"text": "😡😡😡🚧🚧🚧💡💡💡!!!???"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "text"
    assert "minimal 5 huruf" in error["message"]
    fine = await client.post("/api/v1/reports", json={"text": "Got mampet 😡😡😡🚧🚧🚧"})
    assert fine.status_code == 201
