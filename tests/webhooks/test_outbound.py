"""Department webhooks against a local receiver, on both engines: every event signed and
delivered, a flaky receiver gets each event once, a failing one holds nothing else up."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections import Counter
from datetime import timedelta
from typing import Any

from core import clock
from core.integrations import webhooks
from core.messaging import outbox
from core.reports.intake import Reporter, submit_report
from core.service_levels import scheduled
from core.staff.actors import Actor
from db.tables import OutboxMessage
from scheduler.delivery import deliver_all
from scheduler.webhooks import webhook_deliverer
from tests.helpers import FixedRouter, perform
from tests.ports import free_port
from tests.webhooks.conftest import FLAKY_FAILURES, RECEIVER_HOSTS, Receiver

HANG_GUARD_SECONDS = 120  # a guard against a hung run, not a measure

SECRET = "rahasia-dinas-lingkungan-hidup"
TEXT = "Sampah menumpuk di TPS Jl. Kawi sudah seminggu, baunya sampai ke rumah warga"


async def _report_for(department: str, **submit: Any) -> str:
    report = await submit_report(text=TEXT, channel="web", router=FixedRouter(department), **submit)
    return report.tracking_code


async def _deliver(**options: Any) -> Any:
    async with webhook_deliverer(allowed_hosts=RECEIVER_HOSTS, **options) as deliver:
        return await deliver_all(deliverers={webhooks.CHANNEL: deliver})


async def _webhook_statuses() -> Counter[str]:
    rows = await OutboxMessage.select(OutboxMessage.status).where(
        OutboxMessage.channel == webhooks.CHANNEL
    )
    return Counter(row["status"] for row in rows)


def _signed_by(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def test_every_event_is_signed_and_delivered(db: str, receiver: Receiver) -> None:
    hook = await webhooks.register_webhook(
        department_code="DLH",
        url=receiver.url("ok"),
        secret=SECRET,
        allowed_hosts=RECEIVER_HOSTS,
        actor=Actor.system(),
    )
    worked = await _report_for(
        "DLH", reporter=Reporter(name="Siti Aminah", phone="+62 812 3456 7890")
    )
    for action in ("acknowledge", "respond", "resolve"):
        await perform(action, worked)
    await _report_for("DPUPRPKP")  # another department's report: not for this webhook
    waiting = await _report_for("DLH")
    await _deliver()
    # Nobody answers the second report: the ladder's steps go out too.
    with clock.frozen_at(clock.now() + timedelta(days=40)):
        await scheduled.sweep()
        await _deliver()

    received = receiver.at("ok")
    bodies = [json.loads(request.body) for request in received]
    assert [(body["report"]["tracking_code"], body["event"]) for body in bodies] == [
        (worked, "submitted"),
        (worked, "acknowledged"),
        (worked, "responded"),
        (worked, "resolved"),
        (waiting, "submitted"),
        (waiting, "reminder"),
        (waiting, "overdue"),
        (waiting, "escalated"),
    ]
    for request, body in zip(received, bodies, strict=True):
        # Verifiable with nothing but the shared secret and the raw body.
        assert request.headers["x-ingatkan-signature"] == _signed_by(SECRET, request.body)
        assert request.headers["x-ingatkan-event"] == body["event"]
        assert request.headers["content-type"] == "application/json"
        assert body["department"] == "DLH" and body["report"]["text"] == TEXT
        # The phone number as typed and as stored (microseconds in a timestamp may hold any
        # four digits, so a fragment of it proves nothing).
        assert b"Siti" not in request.body
        assert b"812 3456 7890" not in request.body and b"81234567890" not in request.body
    assert len({request.headers["x-ingatkan-delivery"] for request in received}) == 8
    assert bodies[2]["note"] == "Petugas menuju lokasi besok pagi"
    assert [body["detail"].get("level") for body in bodies[5:]] == [1, 2, 3]
    assert await _webhook_statuses() == Counter({"sent": 8})

    log = await webhooks.delivery_log(webhook_id=hook.id)
    assert len(log) == 8
    assert {(entry.status_code, entry.message_status) for entry in log} == {(200, "sent")}
    assert log[0].tracking_code == waiting and log[0].event == "escalated"


async def test_a_flaky_receiver_gets_each_event_once(db: str, receiver: Receiver) -> None:
    """It fails three times, then accepts: each event is accepted exactly once, on the
    fourth try, with the same delivery id every time."""
    hook = await webhooks.register_webhook(
        department_code="DLH",
        url=receiver.url("flaky"),
        secret=SECRET,
        allowed_hosts=RECEIVER_HOSTS,
        actor=Actor.system(),
    )
    code = await _report_for("DLH")
    await perform("acknowledge", code)
    await perform("resolve", code)
    offset = timedelta(0)
    for _ in range(FLAKY_FAILURES + 1):
        with clock.frozen_at(clock.now() + offset):
            await _deliver()
        offset += outbox.LONGEST_RETRY  # past any back-off
    received = receiver.at("flaky")
    accepted = Counter(
        json.loads(request.body)["event"] for request in received if request.answered == 200
    )
    assert accepted == Counter({"submitted": 1, "acknowledged": 1, "resolved": 1})
    tries = Counter(request.headers["x-ingatkan-delivery"] for request in received)
    assert sorted(tries.values()) == [FLAKY_FAILURES + 1] * 3
    assert await _webhook_statuses() == Counter({"sent": 3})
    log = await webhooks.delivery_log(webhook_id=hook.id)
    assert sorted(entry.attempt for entry in log) == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert {entry.status_code for entry in log if entry.attempt < 4} == {500}


async def test_a_failing_receiver_holds_nothing_else_up(db: str, receiver: Receiver) -> None:
    """Receivers that answer 500, refuse connections, hang or refuse for good, next to one
    that works: the working one gets every event at once, each round; the failing ones are
    retried with back-off until the outbox gives up on them."""
    timeout = 0.5
    hooks = {
        department: await webhooks.register_webhook(
            department_code=department,
            url=url,
            allowed_hosts=RECEIVER_HOSTS,
            actor=Actor.system(),
        )
        for department, url in {
            "DPUPRPKP": receiver.url("ok"),
            "DLH": receiver.url("down"),
            "DISHUB": f"http://127.0.0.1:{free_port()}/nobody-listens",
            "DINKES": receiver.url("hangs"),
            "DAMKAR": receiver.url("gone"),
        }.items()
    }
    codes = {department: await _report_for(department) for department in hooks}

    # The round ends though one receiver never answers: its request timed out and waits for a
    # retry like the failing ones. (The guard only keeps a broken timeout from hanging the run.)
    stats = await asyncio.wait_for(_deliver(request_timeout=timeout), timeout=HANG_GUARD_SECONDS)
    assert stats.sent == 1 and stats.retried == 3 and stats.failed == 1
    assert len(receiver.at("ok")) == 1
    assert len(receiver.at("gone")) == 1  # 410: refused for good, not retried

    # A new event for the working receiver goes straight out; the failing ones wait their turn.
    await perform("acknowledge", codes["DPUPRPKP"])
    stats = await _deliver(request_timeout=timeout)
    assert (stats.claimed, stats.sent) == (1, 1)
    assert len(receiver.at("ok")) == 2

    offset = timedelta(0)
    for _ in range(outbox.MAX_ATTEMPTS):
        offset += outbox.LONGEST_RETRY
        with clock.frozen_at(clock.now() + offset):
            await _deliver(request_timeout=timeout)
    assert len(receiver.at("down")) == outbox.MAX_ATTEMPTS
    assert await _webhook_statuses() == Counter({"sent": 2, "failed": 4})
    for department, expected_error in {
        "DLH": "HTTP 500",
        "DISHUB": "ConnectError",
        "DINKES": "ReadTimeout",
    }.items():
        log = await webhooks.delivery_log(webhook_id=hooks[department].id)
        assert len(log) == outbox.MAX_ATTEMPTS, department
        assert all(expected_error in (entry.error or "") for entry in log), (department, log)
        assert log[0].message_status == "failed"
    (gone,) = await webhooks.delivery_log(webhook_id=hooks["DAMKAR"].id)
    assert (gone.status_code, gone.message_status) == (410, "failed")


async def test_deactivated_webhook_gets_nothing_more(db: str, receiver: Receiver) -> None:
    hook = await webhooks.register_webhook(
        department_code="DLH",
        url=receiver.url("ok"),
        allowed_hosts=RECEIVER_HOSTS,
        actor=Actor.system(),
    )
    await _report_for("DLH")  # queued while active
    await webhooks.set_webhook_active(webhook_id=hook.id, active=False, actor=Actor.system())
    await _report_for("DLH")  # not queued at all
    stats = await _deliver()
    assert stats.skipped == 1 and receiver.at("ok") == []
    assert await _webhook_statuses() == Counter({"skipped": 1})
