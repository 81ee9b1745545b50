"""The intake API as a client sees it, on both engines."""

from __future__ import annotations

import json

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from config.settings import RateLimit, Settings

GOOD_TEXT = "Saluran air di Jl. Sulfat mampet, tiap hujan meluap ke jalan"
JSON = {"content-type": "application/json"}

BAD_BODIES: list[tuple[str, dict, str | None]] = [
    ("empty text", {"json": {"text": ""}}, "text"),
    ("whitespace-only text", {"json": {"text": "   \n\t   "}}, "text"),
    ("5000-character text", {"json": {"text": "jalan rusak " * 417}}, "text"),
    ("binary text", {"json": {"text": "abc\x00\x01\x02 defghijk"}}, "text"),
    ("text of wrong type", {"json": {"text": 12345678901}}, "text"),
    ("anonymous of wrong type", {"json": {"text": GOOD_TEXT, "anonymous": "ya"}}, "anonymous"),
    ("missing text", {"json": {"anonymous": True}}, "text"),
    ("unknown field", {"json": {"text": GOOD_TEXT, "priority": "high"}}, "priority"),
    ("missing body", {"headers": JSON}, None),
    ("malformed JSON", {"content": '{"text": "abc', "headers": JSON}, None),
    ("binary body", {"content": b"\xff\xfe\x00\x10\x80", "headers": JSON}, None),
    ("array body", {"json": [GOOD_TEXT]}, None),
    ("latitude out of range", {"json": {"text": GOOD_TEXT, "location": {"lat": 91, "lon": 112}}},
     "location.lat"),
    ("huge number", {"content": json.dumps({"text": GOOD_TEXT})[:-1]
                     + ', "location": {"lat": 1' + "0" * 400 + ', "lon": 1}}', "headers": JSON},
     "location.lat"),
    ("infinite number", {"content": json.dumps({"text": GOOD_TEXT})[:-1]
                         + ', "location": {"lat": 1e999, "lon": 1}}', "headers": JSON}, None),
    ("location missing lon", {"json": {"text": GOOD_TEXT, "location": {"lat": -7.9}}},
     "location.lon"),
    ("unknown policy", {"json": {"text": GOOD_TEXT, "policy": "NO-SUCH-POLICY"}}, "policy"),
    ("bad stance", {"json": {"text": GOOD_TEXT, "stance": "angry"}}, "stance"),
    ("bad phone", {"json": {"text": GOOD_TEXT, "reporter": {"phone": "call me maybe"}}},
     "reporter.phone"),
    ("address too long", {"json": {"text": GOOD_TEXT, "address": "x" * 301}}, "address"),
]  # fmt: skip


async def test_submit_and_track(client: AsyncTestClient) -> None:
    created = await client.post("/api/v1/reports", json={"text": f"  {GOOD_TEXT}  "})
    assert created.status_code == 201
    body = created.json()
    assert body["tracking_code"].startswith("MLG-")
    # the classifier routes a clear drainage complaint straight to public works
    assert body["status"] == "open" and body["department"]["code"] == "DPUPRPKP"
    assert body["due_at"] and body["urgent"] is False
    tracked = await client.get(f"/api/v1/reports/{body['tracking_code'].lower()}")
    assert tracked.status_code == 200
    public = tracked.json()
    assert public["text"] == GOOD_TEXT
    assert [entry["event"] for entry in public["timeline"]] == ["submitted"]


async def test_what_the_classifier_cannot_place_waits_for_a_verifier(
    client: AsyncTestClient,
) -> None:
    created = await client.post("/api/v1/reports", json={"text": "halo min, tes tes aja ya"})
    assert created.status_code == 201
    assert created.json()["status"] == "triage" and created.json()["department"] is None


async def test_danger_is_flagged_urgent_with_a_two_hour_deadline(client: AsyncTestClient) -> None:
    created = await client.post(
        "/api/v1/reports",
        json={"text": "Kebakaran rumah di Jl. Kawi gang 3, api sudah besar, ada orang terjebak!"},
    )
    body = created.json()
    assert body["urgent"] is True and body["department"]["code"] == "DAMKAR"


@pytest.mark.parametrize(
    ("name", "request_kwargs", "field"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
async def test_bad_input_gets_a_4xx_naming_the_field(
    client: AsyncTestClient, name: str, request_kwargs: dict, field: str | None
) -> None:
    response = await client.post("/api/v1/reports", **request_kwargs)
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert body["status_code"] == response.status_code and body["detail"]
    if field:
        assert field in [error["field"] for error in body["errors"]], body
    listed = await client.get("/api/v1/reports/MLG-CCCCCC")
    assert listed.status_code == 404  # and nothing half-written was left behind


async def test_wrong_content_type_is_refused(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/v1/reports",
        content=json.dumps({"text": GOOD_TEXT}),
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.json()["status_code"] == 415


async def test_oversized_body_is_refused(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/v1/reports", content=json.dumps({"text": "a" * 200_000}), headers=JSON
    )
    assert response.status_code == 413


async def test_errors_speak_english_when_asked(client: AsyncTestClient) -> None:
    response = await client.post(
        "/api/v1/reports", json={"text": "short"}, headers={"accept-language": "en-US"}
    )
    assert response.status_code == 400
    assert "at least 10 characters" in response.json()["errors"][0]["message"]
    indonesian = await client.post("/api/v1/reports", json={"text": "short"})
    assert "minimal 10 karakter" in indonesian.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "code", ["MLG-CCCCCC", "nonsense", "MLG-0O0O0O", "'; DROP TABLE report;--"]
)
async def test_unknown_tracking_codes_are_404(client: AsyncTestClient, code: str) -> None:
    response = await client.get(f"/api/v1/reports/{code}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "tracking_code"


async def test_sql_and_html_are_stored_and_returned_inert(client: AsyncTestClient) -> None:
    hostile = "<script>alert('x')</script> Robert'); DROP TABLE report;-- jalan rusak"
    created = await client.post("/api/v1/reports", json={"text": hostile})
    assert created.status_code == 201
    tracked = await client.get(f"/api/v1/reports/{created.json()['tracking_code']}")
    assert tracked.json()["text"] == hostile
    assert tracked.headers["content-type"].startswith("application/json")
    again = await client.post("/api/v1/reports", json={"text": GOOD_TEXT})
    assert again.status_code == 201  # the table is still there


async def test_public_responses_carry_no_personal_data(client: AsyncTestClient) -> None:
    reporter = {
        "name": "Siti Rahayu Wulandari",
        "phone": "+62 812-3456-7890",
        "email": "siti@example.id",
    }
    created = await client.post(
        "/api/v1/reports",
        json={
            "text": GOOD_TEXT,
            "anonymous": True,
            "address": "Jl. Sulfat Gg. 3 No. 17 rumah Bu Siti",
            "reporter": reporter,
        },
    )
    assert created.status_code == 201
    code = created.json()["tracking_code"]
    confidential = await client.post(
        "/api/v1/reports",
        json={
            "text": "Oknum kelurahan minta uang pelicin 500 ribu untuk surat domisili",
            "confidential": True,
            "location": {"lat": -7.96, "lon": 112.63},
            "reporter": reporter,
        },
    )
    responses = [
        created.text,
        confidential.text,
        (await client.get(f"/api/v1/reports/{code}")).text,
        (await client.get(f"/api/v1/reports/{confidential.json()['tracking_code']}")).text,
        (await client.get("/api/v1/departments")).text,
        (await client.get("/api/v1/policies")).text,
    ]
    for text in responses:
        for secret in ("Siti", "3456", "example.id", "Gg. 3", "citizen", "chat_id"):
            assert secret not in text
    hidden = json.loads(responses[3])
    assert hidden["text"] is None and hidden["location"] is None


async def test_report_names_a_policy_with_a_stance(client: AsyncTestClient) -> None:
    created = await client.post(
        "/api/v1/reports",
        json={
            "text": "Tarif parkir Rp5.000 terlalu mahal untuk warga",
            "policy": "perwal-2024-parkir",
            "stance": "objection",
        },
    )
    assert created.status_code == 201
    tracked = (await client.get(f"/api/v1/reports/{created.json()['tracking_code']}")).json()
    assert tracked["policy"]["code"] == "PERWAL-2024-PARKIR"
    assert tracked["stance"] == "objection"
    # A stance is never assumed: a policy named without one is linked with none, so the
    # report is no objection.
    unsure = await client.post(
        "/api/v1/reports",
        json={
            "text": "Tarif parkir Rp5.000 terlalu mahal untuk warga",
            "policy": "PERWAL-2024-PARKIR",
        },
    )
    assert unsure.status_code == 201
    unsure_tracked = (await client.get(f"/api/v1/reports/{unsure.json()['tracking_code']}")).json()
    assert unsure_tracked["policy"]["code"] == "PERWAL-2024-PARKIR"
    assert unsure_tracked["stance"] is None


async def test_catalogue_health_and_schema(client: AsyncTestClient) -> None:
    departments = (await client.get("/api/v1/departments")).json()
    assert len(departments) == 18
    assert {"DPUPRPKP", "TUGU_TIRTA", "DKPP"} <= {d["code"] for d in departments}
    assert all(d["dimensions"] for d in departments)
    policies = (await client.get("/api/v1/policies")).json()
    assert policies and all(p["department"]["code"] for p in policies)
    health = await client.get("/health")
    assert health.status_code == 200 and health.json() == {
        "status": "ok",
        "database": "up",
        "routing": "ready",
    }
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/reports" in schema["paths"]


async def test_rate_limit_per_client(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, rate_limit=RateLimit(3, "minute")))
    async with AsyncTestClient(app=app) as client:
        statuses = [
            (await client.post("/api/v1/reports", json={"text": GOOD_TEXT})).status_code
            for _ in range(5)
        ]
        assert statuses == [201, 201, 201, 429, 429]
        refused = await client.post("/api/v1/reports", json={"text": GOOD_TEXT})
        assert refused.json()["status_code"] == 429
        assert (await client.get("/health")).status_code == 200  # not limited
