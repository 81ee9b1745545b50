"""The staff JSON API: sign in, the officer's queue, one report, actions."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.reports.intake import Reporter
from core.routing.models import RoutingDecision
from db.tables import OutboxMessage
from tests.helpers import report_in
from tests.pages.sessions import PASSWORD, in_app, make_staff

CONTACT = {"name": "Budi", "phone": "081234567890"}


async def _signed_in(client: AsyncTestClient, username: str) -> None:
    response = await client.post(
        "/api/v1/session", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text


async def test_an_officer_works_the_queue_through_json(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = in_app(client, report_in, status="open", reporter=Reporter(**CONTACT)).tracking_code
    in_app(client, report_in, status="triage")
    assert (await client.get("/api/v1/queue")).status_code == 401

    await _signed_in(client, "dina")
    me = (await client.get("/api/v1/session")).json()
    assert me == {
        "username": "dina",
        "full_name": "Dina",
        "role": "officer",
        "department": "DPUPRPKP",
    }
    queue = (await client.get("/api/v1/queue")).json()
    assert queue["department"]["code"] == "DPUPRPKP" and queue["total"] == 1
    assert [item["tracking_code"] for item in queue["items"]] == [code]
    assert queue["items"][0]["time_left"] in {"today", "soon", "later"}

    report = (await client.get(f"/api/v1/staff/reports/{code}")).json()
    assert report["actions"] == ["acknowledge", "resolve", "reroute", "reject", "refer"]
    # A phone number is for the department to call: nobody notifies the citizen by it.
    assert report["citizen_notified"] is False and report["citizen_reached_by"] == "nobody"
    # The department may call them: a report that is neither anonymous nor confidential shows
    # who sent it (tests/pages/test_reporter_contact.py has the other cases).
    assert report["reporter"] == {"name": "Budi", "email": None, "phone": "+6281234567890"}

    acknowledged = await client.post(f"/api/v1/staff/reports/{code}/acknowledge", json={})
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "in_progress"
    answered = await client.post(
        f"/api/v1/staff/reports/{code}/respond", json={"note": "Besok pagi petugas datang."}
    )
    assert answered.json()["timeline"][-1]["note"] == "Besok pagi petugas datang."
    resolved = await client.post(
        f"/api/v1/staff/reports/{code}/resolve", json={"note": "Sudah ditambal."}
    )
    assert resolved.json()["status"] == "resolved"
    assert [event["actor"] for event in resolved.json()["timeline"]][-3:] == ["dina"] * 3
    queued = in_app(
        client,
        OutboxMessage.select(OutboxMessage.template).where(OutboxMessage.channel == "citizen").run,
    )
    assert {"acknowledged", "responded", "resolved"} <= {row["template"] for row in queued}
    resolved_queue = (await client.get("/api/v1/queue?status=resolved")).json()
    assert [item["tracking_code"] for item in resolved_queue["items"]] == [code]

    assert (await client.delete("/api/v1/session")).status_code == 204
    assert (await client.get("/api/v1/queue")).status_code == 401


async def test_bad_requests_are_named_and_refused(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "admin", "admin")
    code = in_app(client, report_in, status="open").tracking_code
    wrong = await client.post("/api/v1/session", json={"username": "dina", "password": "salah"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "password"
    await _signed_in(client, "dina")

    cases = [
        (client.get("/api/v1/queue?status=deleted"), 400, "status"),
        (client.get("/api/v1/queue?kecamatan=Surabaya"), 400, "kecamatan"),
        (client.get("/api/v1/queue?page=0"), 400, "page"),
        (client.post(f"/api/v1/staff/reports/{code}/explode", json={}), 400, "action"),
        (client.post(f"/api/v1/staff/reports/{code}/respond", json={}), 400, "note"),
        (client.post(f"/api/v1/staff/reports/{code}/respond", json={"note": "Segera"}), 409, None),
        (client.post(f"/api/v1/staff/reports/{code}/reroute", json={"note": "salah"}), 400,
         "department"),
        (client.post(f"/api/v1/staff/reports/{code}/resolve", json={"note": "x", "extra": 1}), 400,
         "extra"),
        (client.post(f"/api/v1/staff/reports/{code}/resolve", content="note=x",
                     headers={"content-type": "application/x-www-form-urlencoded"}), 415, None),
        (client.get("/api/v1/staff/reports/MLG-CCCCCC"), 404, "tracking_code"),
    ]  # fmt: skip
    for request, status, field in cases:
        response = await request
        assert response.status_code == status, response.text
        if field:
            assert field in [error["field"] for error in response.json()["errors"]], response.json()

    moved = await client.post(
        f"/api/v1/staff/reports/{code}/reroute", json={"department": "DLH", "note": "Soal sampah"}
    )
    assert moved.status_code == 200 and moved.json()["department"]["code"] == "DLH"
    before = await client.get(f"/api/v1/staff/reports/{code}")  # handled it before: read-only
    assert (before.status_code, before.json()["read_only"], before.json()["actions"]) == (
        200,
        True,
        [],
    )

    await client.delete("/api/v1/session")
    await _signed_in(client, "admin")
    assert (await client.get("/api/v1/queue")).json()["errors"][0]["field"] == "department"
    assert (await client.get("/api/v1/queue?department=DLH")).json()["total"] == 1
    unknown = await client.get("/api/v1/queue?department=NOPE")
    assert unknown.status_code == 400


class _ReferringRouter:
    """A classifier that finds the report to be PLN's, not the city's."""

    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(department_code=None, confidence=0.91, urgent=False, refer_to="PLN")


async def test_a_verifier_sees_the_suggested_referral_with_its_contact(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "vera", "verifier")
    text = "Listrik padam se-RT sejak kemarin sore, token juga tidak bisa masuk"
    code = in_app(client, report_in, status="triage", text=text, router=_ReferringRouter())
    assert code.suggested_referral == "PLN"
    await _signed_in(client, "vera")
    report = (await client.get(f"/api/v1/staff/reports/{code.tracking_code}")).json()
    assert report["status"] == "triage" and report["department"] is None
    assert report["suggested_referral"] == {
        "code": "PLN",
        "name": "PLN",
        "phone": "123",
        "website": "https://www.pln.co.id",
    }
    assert "refer" in report["actions"]
    # A report the classifier routed itself has no suggestion.
    routed = in_app(client, report_in, status="triage").tracking_code
    assert (await client.get(f"/api/v1/staff/reports/{routed}")).json()[
        "suggested_referral"
    ] is None
