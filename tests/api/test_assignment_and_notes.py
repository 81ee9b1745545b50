"""Who carries a report (`assign`, `?assigned=`) and internal notes, over the staff JSON API,
on both engines; a note never leaves the staff's own answers."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.integrations.webhooks import register_webhook
from core.reports.intake import Reporter
from core.staff.actors import Actor
from db.tables import OutboxMessage
from tests.helpers import perform, report_in
from tests.pages.sessions import PASSWORD, in_app, make_staff

NOTE = "Warga ini sudah tiga kali lapor; cek dulu ke RT 05 sebelum turun ke lapangan."


async def _as(client: AsyncTestClient, username: str) -> None:
    await client.delete("/api/v1/session")
    response = await client.post(
        "/api/v1/session", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text


def _codes(response: object) -> list[str]:
    return [item["tracking_code"] for item in response.json()["items"]]  # type: ignore[attr-defined]


async def test_a_head_assigns_an_officer_takes_and_the_queue_filters_by_who_carries(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kepala", "head", "DPUPRPKP")
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "eko", "officer", "DPUPRPKP")
    make_staff(client, "lina", "officer", "DLH")
    first, second, third = (
        in_app(client, report_in, status="open").tracking_code for _ in range(3)
    )

    await _as(client, "kepala")
    given = await client.post(f"/api/v1/staff/reports/{first}/assign", json={"officer": "dina"})
    assert given.status_code == 200, given.text
    assert given.json()["assignee"] == "dina"
    assert given.json()["timeline"][-1]["event"] == "assigned"
    assert given.json()["timeline"][-1]["officer"] == "dina"
    refused = {
        "lina": (400, "officer"),  # another department's officer
        "nobody-here": (400, "officer"),
        "dina": (400, "officer"),  # already hers
    }
    for officer, (status, field) in refused.items():
        response = await client.post(
            f"/api/v1/staff/reports/{first}/assign", json={"officer": officer}
        )
        assert response.status_code == status, response.text
        assert response.json()["errors"][0]["field"] == field
    missing = await client.post(f"/api/v1/staff/reports/{first}/assign", json={})
    assert missing.status_code == 400
    assert _codes(await client.get("/api/v1/queue?assigned=dina")) == [first]

    await _as(client, "eko")
    # An officer takes what nobody carries, not what a colleague carries.
    taken = await client.post(f"/api/v1/staff/reports/{second}/assign", json={"officer": "eko"})
    assert taken.status_code == 200 and taken.json()["assignee"] == "eko"
    grab = await client.post(f"/api/v1/staff/reports/{first}/assign", json={"officer": "eko"})
    assert grab.status_code == 403
    push = await client.post(f"/api/v1/staff/reports/{third}/assign", json={"officer": "dina"})
    assert push.status_code == 403
    assert _codes(await client.get("/api/v1/queue?assigned=me")) == [second]
    assert _codes(await client.get("/api/v1/queue?assigned=none")) == [third]
    mine = (await client.get("/api/v1/queue?assigned=me")).json()["items"][0]
    assert mine["assignee"] == "eko"
    assert (await client.get("/api/v1/queue?assigned=lina")).status_code == 400
    let_go = await client.post(f"/api/v1/staff/reports/{second}/assign", json={"officer": None})
    assert let_go.status_code == 200 and let_go.json()["assignee"] is None
    assert let_go.json()["timeline"][-1]["event"] == "unassigned"
    assert _codes(await client.get("/api/v1/queue?assigned=me")) == []

    await _as(client, "lina")
    other = await client.post(f"/api/v1/staff/reports/{third}/assign", json={"officer": "lina"})
    assert other.status_code == 403

    # Re-routed away, the report leaves the officer who carried it.
    in_app(client, perform, action="reroute", code=first)
    await _as(client, "dina")
    assert _codes(await client.get("/api/v1/queue?assigned=me")) == []
    # The citizen and the public never see who carries a report.
    public = (await client.get(f"/api/v1/reports/{first}")).json()
    assert {"assigned", "unassigned"}.isdisjoint(event["event"] for event in public["timeline"])


async def _webhook_for(department: str) -> None:
    await register_webhook(
        department_code=department,
        url="http://127.0.0.1:9/hook",
        allowed_hosts=["127.0.0.1"],
        actor=Actor.system(),
    )


async def test_internal_notes_stay_with_the_staff(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "pimpinan", "leadership")
    in_app(client, _webhook_for, department="DPUPRPKP")
    code = in_app(
        client, report_in, status="open", reporter=Reporter(name="Budi", email="budi@example.org")
    ).tracking_code
    before = in_app(client, OutboxMessage.count().run)

    await _as(client, "dina")
    noted = await client.post(f"/api/v1/staff/reports/{code}/notes", json={"text": NOTE})
    assert noted.status_code == 201, noted.text
    last = noted.json()["timeline"][-1]
    assert last["event"] == "noted" and last["internal_note"] == NOTE
    assert last["note"] is None and last["actor"] == "dina"
    short = await client.post(f"/api/v1/staff/reports/{code}/notes", json={"text": "ok"})
    assert short.status_code == 400 and short.json()["errors"][0]["field"] == "text"
    # No message and no webhook for a note; the next public change carries none of it.
    assert in_app(client, OutboxMessage.count().run) == before
    acknowledged = await client.post(f"/api/v1/staff/reports/{code}/acknowledge", json={})
    assert acknowledged.status_code == 200
    messages = in_app(
        client, OutboxMessage.select(OutboxMessage.channel, OutboxMessage.payload).run
    )
    assert {"citizen", "webhook"} <= {message["channel"] for message in messages}
    assert all("RT 05" not in str(message["payload"]) for message in messages)

    public = await client.get(f"/api/v1/reports/{code}")
    assert public.status_code == 200 and "RT 05" not in public.text
    assert "noted" not in [event["event"] for event in public.json()["timeline"]]
    page = await client.get(f"/lacak/{code}")
    assert page.status_code == 200 and "RT 05" not in page.text
    open311 = await client.get(f"/open311/v2/requests/{code}.json")
    assert open311.status_code == 200 and "RT 05" not in open311.text

    await _as(client, "pimpinan")
    # Leadership reads the staff page, and writes no notes; its export holds none.
    assert NOTE in (await client.get(f"/api/v1/staff/reports/{code}")).text
    refused = await client.post(f"/api/v1/staff/reports/{code}/notes", json={"text": NOTE})
    assert refused.status_code == 403
    export = await client.get("/api/v1/exports/reports.csv")
    assert export.status_code == 200 and code in export.text and "RT 05" not in export.text
