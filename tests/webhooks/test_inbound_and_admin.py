"""A department's system acting on reports through the signed inbound endpoint, and the
admin's JSON API for webhooks and their delivery log, on both engines."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from litestar.testing import AsyncTestClient

from core.integrations import webhooks
from core.staff.actors import Actor
from scheduler.delivery import deliver_all
from scheduler.webhooks import webhook_deliverer
from tests.pages.sessions import PASSWORD, in_app, make_staff
from tests.webhooks.conftest import RECEIVER_HOSTS, Receiver

SECRET = "rahasia-dinas-lingkungan-hidup"
TEXT = "Sampah menumpuk di TPS Jl. Kawi sudah seminggu, baunya sampai ke rumah warga"


def _signature(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


async def _inbound(
    client: AsyncTestClient,
    body: dict[str, Any],
    *,
    secret: str | None = SECRET,
    department: str = "DLH",
    signed_body: bytes | None = None,
) -> Any:
    raw = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    if secret:
        headers["x-ingatkan-signature"] = _signature(secret, signed_body or raw)
    return await client.post(
        f"/api/v1/departments/{department}/inbound", content=raw, headers=headers
    )


async def _new_report(client: AsyncTestClient) -> str:
    created = await client.post("/api/v1/reports", json={"text": TEXT})
    assert created.status_code == 201 and created.json()["department"]["code"] == "DLH"
    return created.json()["tracking_code"]


async def _timeline(client: AsyncTestClient, code: str) -> list[tuple[str, str | None]]:
    public = (await client.get(f"/api/v1/reports/{code}")).json()
    return [(entry["event"], entry["note"]) for entry in public["timeline"]]


async def test_department_system_acts_on_its_reports(client: AsyncTestClient) -> None:
    in_app(client, webhooks.register_webhook, department_code="DLH", url="https://dlh.example/h",
           secret=SECRET, allowed_hosts=frozenset(), actor=Actor.system())  # fmt: skip
    code = await _new_report(client)
    acknowledge = {"id": "dlh-1", "tracking_code": code, "action": "acknowledge",
                   "note": "Tim kebersihan dijadwalkan besok"}  # fmt: skip

    # Not signed, signed with another secret, or signed over another body: refused.
    assert (await _inbound(client, acknowledge, secret=None)).status_code == 403
    assert (
        await _inbound(client, acknowledge, secret="bukan-rahasia-yang-benar")
    ).status_code == 403
    tampered = await _inbound(client, acknowledge, signed_body=b'{"id": "dlh-1"}')
    assert tampered.status_code == 403
    assert tampered.json()["errors"][0]["field"] == "X-Ingatkan-Signature"
    assert (await _inbound(client, acknowledge, department="NOPE")).status_code == 404

    done = await _inbound(client, acknowledge)
    assert done.status_code == 200, done.text
    assert done.json() == {"tracking_code": code, "status": "in_progress", "duplicate": False}
    replayed = await _inbound(client, acknowledge)
    assert replayed.json() == {"tracking_code": code, "status": "in_progress", "duplicate": True}

    # A refused request leaves nothing behind: the same id goes through once it is right.
    no_answer = await _inbound(client, {"id": "dlh-2", "tracking_code": code, "action": "respond"})
    assert no_answer.status_code == 400 and no_answer.json()["errors"][0]["field"] == "note"
    answer = {"id": "dlh-2", "tracking_code": code, "action": "respond",
              "note": "Truk sampah sudah berangkat"}  # fmt: skip
    assert (await _inbound(client, answer)).json()["status"] == "in_progress"
    bad_action = await _inbound(client, {**answer, "id": "dlh-3", "action": "close"})
    assert bad_action.status_code == 400 and bad_action.json()["errors"][0]["field"] == "action"
    unknown = await _inbound(client, {**answer, "id": "dlh-4", "tracking_code": "MLG-XXXXXX"})
    assert unknown.status_code == 404
    resolved = await _inbound(client, {"id": "dlh-5", "tracking_code": code, "action": "resolve",
                                       "note": "TPS sudah bersih"})  # fmt: skip
    assert resolved.json()["status"] == "resolved"
    again = await _inbound(client, {**acknowledge, "id": "dlh-6"})
    assert again.status_code == 409

    assert await _timeline(client, code) == [
        ("submitted", None),
        ("acknowledged", "Tim kebersihan dijadwalkan besok"),
        ("responded", "Truk sampah sudah berangkat"),
        ("resolved", "TPS sudah bersih"),
    ]

    # Another department's system may not touch DLH's report, even with a valid signature.
    in_app(client, webhooks.register_webhook, department_code="DPUPRPKP",
           url="https://pu.example/h", secret="rahasia-dinas-pekerjaan-umum",
           allowed_hosts=frozenset(), actor=Actor.system())  # fmt: skip
    other = await _new_report(client)
    foreign = await _inbound(
        client,
        {"id": "pu-1", "tracking_code": other, "action": "acknowledge"},
        secret="rahasia-dinas-pekerjaan-umum",
        department="DPUPRPKP",
    )
    assert foreign.status_code == 403
    assert await _timeline(client, other) == [("submitted", None)]


async def _sign_in(
    client: AsyncTestClient, username: str, role: str, department: str | None = None
) -> None:
    make_staff(client, username, role, department)
    signed_in = await client.post(
        "/api/v1/session", json={"username": username, "password": PASSWORD}
    )
    assert signed_in.status_code == 200


async def _deliver() -> None:
    async with webhook_deliverer(allowed_hosts=RECEIVER_HOSTS) as deliver:
        await deliver_all(deliverers={webhooks.CHANNEL: deliver})


async def test_admin_registers_webhooks_and_reads_the_log(
    client: AsyncTestClient, receiver: Receiver
) -> None:
    path = "/api/v1/admin/webhooks"
    assert (await client.get(path)).status_code == 401
    await _sign_in(client, "petugas.dlh", "officer", "DLH")
    assert (await client.get(path)).status_code == 403
    assert (
        await client.post(path, json={"department": "DLH", "url": receiver.url("ok")})
    ).status_code == 403

    await _sign_in(client, "admin.kominfo", "admin")
    refused = [
        ({"department": "DLH", "url": "ftp://dlh.example/x"}, "url"),
        ({"department": "DLH", "url": "https://dlh .example/x"}, "url"),
        ({"department": "NOPE", "url": receiver.url("ok")}, "department"),
        ({"department": "DLH", "url": receiver.url("ok"), "secret": "pendek"}, "secret"),
        ({"department": "DLH", "url": receiver.url("ok"), "extra": 1}, "extra"),
    ]
    for body, field in refused:
        response = await client.post(path, json=body)
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["field"] == field, response.json()

    created = await client.post(path, json={"department": "dlh", "url": receiver.url("ok")})
    assert created.status_code == 201
    hook = created.json()
    assert hook["department"] == "DLH" and hook["active"] is True
    assert len(hook["secret"]) >= 32  # drawn for the admin, shown this once
    listed = (await client.get(path)).json()
    assert [item["id"] for item in listed] == [hook["id"]]
    assert "secret" not in listed[0]

    code = await _new_report(client)
    in_app(client, _deliver)
    (request,) = receiver.at("ok")
    assert request.headers["x-ingatkan-signature"] == _signature(hook["secret"], request.body)
    log = (await client.get(f"{path}/{hook['id']}/deliveries")).json()
    assert len(log) == 1
    assert log[0]["delivery_id"] == request.headers["x-ingatkan-delivery"]
    assert (log[0]["event"], log[0]["tracking_code"]) == ("submitted", code)
    assert (log[0]["status_code"], log[0]["message_status"], log[0]["attempt"]) == (200, "sent", 1)

    # A JSON body (even empty) is what keeps a cross-site form from doing this.
    assert (await client.post(f"{path}/{hook['id']}/deactivate")).status_code == 415
    off = await client.post(f"{path}/{hook['id']}/deactivate", json={})
    assert off.status_code == 200 and off.json()["active"] is False
    assert (await client.post(f"{path}/{hook['id']}/explode", json={})).status_code == 400
    assert (await client.get(f"{path}/9999/deliveries")).status_code == 404
    assert (await client.post(f"{path}/9999/activate", json={})).status_code == 404
