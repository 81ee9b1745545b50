"""Outbox delivery: claimed once, retried with back-off, failures contained."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta

import pytest

from core import clock
from core.messaging import outbox
from core.messaging.models import Delivery
from core.messaging.outbox import PermanentFailure, RetryLater, Unreachable
from db.engine import write_transaction
from db.tables import OutboxMessage
from scheduler import webhooks as webhook_channel
from scheduler.delivery import deliver_all, deliver_pending


async def _queue(count: int, channel: str = "citizen") -> None:
    async with write_transaction():
        for n in range(count):
            await outbox.enqueue(
                outbox.Message(
                    dedupe_key=f"test:{channel}:{n}", channel=channel, template="acknowledged",
                    payload={"n": n},
                )
            )  # fmt: skip


async def _statuses() -> Counter:
    return Counter(row["status"] for row in await OutboxMessage.select(OutboxMessage.status))


async def test_concurrent_workers_deliver_each_message_once(db: str) -> None:
    await _queue(120)
    seen: list[int] = []

    async def record(delivery: Delivery) -> None:
        await asyncio.sleep(0)  # let the other workers run in between
        seen.append(delivery.payload["n"])

    await asyncio.gather(*(deliver_all(deliverers={"citizen": record}, batch=10) for _ in range(4)))
    assert sorted(seen) == list(range(120))
    assert await _statuses() == Counter({"sent": 120})


async def test_busy_service_is_retried_after_the_time_it_asks(db: str) -> None:
    await _queue(1)
    calls: list[int] = []

    async def busy_once(delivery: Delivery) -> None:
        calls.append(delivery.attempts)
        if len(calls) == 1:
            raise RetryLater(7, "429 Too Many Requests")

    stats = await deliver_pending(deliverers={"citizen": busy_once})
    assert stats.retried == 1 and await _statuses() == Counter({"pending": 1})
    assert (await deliver_pending(deliverers={"citizen": busy_once})).claimed == 0  # not yet
    with clock.frozen_at(clock.now() + timedelta(seconds=8)):
        stats = await deliver_pending(deliverers={"citizen": busy_once})
    assert stats.sent == 1 and calls == [1, 2]
    row = await OutboxMessage.select().first()
    assert row["status"] == "sent" and row["last_error"] == "429 Too Many Requests"


async def test_refused_and_unreachable_are_not_retried(db: str) -> None:
    await _queue(2)

    async def refuse(delivery: Delivery) -> None:
        if delivery.payload["n"] == 0:
            raise PermanentFailure("Forbidden: bot was blocked by the user")
        raise Unreachable("citizen has no Telegram chat")

    stats = await deliver_pending(deliverers={"citizen": refuse})
    assert (stats.failed, stats.skipped) == (1, 1)
    with clock.frozen_at(clock.now() + timedelta(days=1)):
        assert (await deliver_pending(deliverers={"citizen": refuse})).claimed == 0
    assert await _statuses() == Counter({"failed": 1, "skipped": 1})


async def test_failed_deliveries_are_logged_without_the_message(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator sees each refusal and each wait a channel asks for, by message id and
    channel; the message's own words (which may name the citizen) never reach the log."""
    async with write_transaction():
        for n, words in enumerate(("Siti Aminah, Jl. Kawi 12", "Budi, 081234567890")):
            await outbox.enqueue(
                outbox.Message(
                    dedupe_key=f"test:log:{n}", channel="citizen", template="acknowledged",
                    payload={"n": n, "words": words},
                )
            )  # fmt: skip

    async def refuse(delivery: Delivery) -> None:
        if delivery.payload["n"] == 0:
            raise PermanentFailure("Forbidden: bot was blocked by the user")
        raise RetryLater(30, "Telegram flood control")

    caplog.set_level(logging.INFO, logger="ingatkan.delivery")
    await deliver_pending(deliverers={"citizen": refuse})
    logged = {record.getMessage(): record.fields for record in caplog.records}  # type: ignore[attr-defined]
    assert logged["delivery failed"]["reason"] == "Forbidden: bot was blocked by the user"
    assert logged["delivery retry"]["channel"] == "citizen"
    assert "Siti" not in caplog.text and "081234567890" not in caplog.text


async def test_a_crashing_deliverer_backs_off_then_gives_up(db: str) -> None:
    await _queue(1)
    await _queue(1, channel="department")
    delivered: list[str] = []

    async def broken(delivery: Delivery) -> None:
        raise ValueError("template missing")

    async def fine(delivery: Delivery) -> None:
        delivered.append(delivery.channel)

    moment = clock.now()
    for attempt in range(outbox.MAX_ATTEMPTS):
        with clock.frozen_at(moment):
            await deliver_pending(deliverers={"citizen": broken, "department": fine})
        moment += outbox.backoff(attempt + 1) + timedelta(seconds=1)
    assert delivered == ["department"]  # the broken one held nothing else up
    row = await OutboxMessage.select().where(OutboxMessage.channel == "citizen").first()
    assert row["status"] == "failed" and row["attempts"] == outbox.MAX_ATTEMPTS
    assert "template missing" in row["last_error"]


async def test_messages_wait_while_their_channel_has_no_deliverer(db: str) -> None:
    await _queue(1)
    await _queue(1, channel="department")
    seen: list[str] = []

    async def record(delivery: Delivery) -> None:
        seen.append(delivery.channel)

    await deliver_all(deliverers={"department": record})
    assert seen == ["department"]
    assert await _statuses() == Counter({"sent": 1, "pending": 1})
    await deliver_all(deliverers={"citizen": record})  # the bot came up
    assert await _statuses() == Counter({"sent": 2})


async def test_a_worker_that_dies_mid_delivery_leaves_the_message_to_another(db: str) -> None:
    await _queue(1)
    claimed = await outbox.claim(limit=10, channels=["citizen"])  # ... and the worker dies
    assert len(claimed) == 1
    assert await outbox.claim(limit=10, channels=["citizen"]) == []  # leased
    seen: list[int] = []

    async def record(delivery: Delivery) -> None:
        seen.append(delivery.id)

    with clock.frozen_at(clock.now() + outbox.LEASE + timedelta(seconds=1)):
        await deliver_pending(deliverers={"citizen": record})
    assert seen == [claimed[0].id]
    assert await _statuses() == Counter({"sent": 1})


async def test_a_worker_whose_lease_ran_out_cannot_overwrite_the_next_workers_outcome(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Worker A stalls past its lease, worker B claims the message again; A's late outcome
    lands while B is still sending and must change nothing: B's delivery stands, and the
    message is neither sent again nor lost."""
    await _queue(1)
    start = clock.now()
    moment = [start]
    a_stalled, b_sending, b_may_finish = asyncio.Event(), asyncio.Event(), asyncio.Event()
    sent: list[str] = []

    async def stalling(delivery: Delivery) -> None:
        moment[0] = start + outbox.LEASE + timedelta(seconds=1)
        a_stalled.set()
        await b_sending.wait()
        raise RetryLater(30, "Telegram flood control")

    async def sending(delivery: Delivery) -> None:
        b_sending.set()
        await b_may_finish.wait()
        sent.append(f"{delivery.id}:{delivery.attempts}")

    caplog.set_level(logging.INFO, logger="ingatkan.outbox")
    with clock.frozen_at(lambda: moment[0]):
        worker_a = asyncio.create_task(deliver_pending(deliverers={"citizen": stalling}))
        await a_stalled.wait()
        worker_b = asyncio.create_task(deliver_pending(deliverers={"citizen": sending}))
        late = await worker_a  # A's "retry later" arrives while B holds the message
        b_may_finish.set()
        on_time = await worker_b
    (message_id,) = [row["id"] for row in await OutboxMessage.select(OutboxMessage.id)]
    assert sent == [f"{message_id}:2"]
    assert await _statuses() == Counter({"sent": 1})
    assert (late.retried, late.lost, on_time.sent) == (0, 1, 1)
    with clock.frozen_at(start + timedelta(days=1)):  # nothing left to send again
        assert (await deliver_pending(deliverers={"citizen": sending})).claimed == 0
    (lost,) = [r for r in caplog.records if r.getMessage() == "delivery outcome lost"]
    assert lost.fields == {"message_id": message_id, "attempt": 1, "outcome": "pending"}  # type: ignore[attr-defined]


async def test_a_late_outcome_after_the_next_worker_finished_changes_nothing(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    await _queue(1)
    (first,) = await outbox.claim(limit=1, channels=["citizen"])
    caplog.set_level(logging.INFO, logger="ingatkan.outbox")
    with clock.frozen_at(clock.now() + outbox.LEASE + timedelta(seconds=1)):
        (second,) = await outbox.claim(limit=1, channels=["citizen"])
        assert await outbox.mark_sent(second)
        assert not await outbox.mark_failed(first, error="Forbidden: bot was blocked")
    row = await OutboxMessage.select(OutboxMessage.status, OutboxMessage.last_error).first()
    assert row == {"status": "sent", "last_error": None}
    assert [r.getMessage() for r in caplog.records] == ["delivery outcome lost"]
    # /metrics counts the message once, as sent
    assert (await outbox.figures(now=clock.now())).messages == {("citizen", "sent"): 1}


async def test_the_outbox_figures_follow_every_outcome(db: str) -> None:
    """What /metrics shows of the outbox (finished messages from their tally, waiting ones
    from the table) is what the table holds, after each kind of outcome; the lag is the age
    of the oldest message still waiting."""
    queued_at = clock.now()
    with clock.frozen_at(queued_at):
        await _queue(5)
        await _queue(2, channel="department")  # nobody delivers these here: they wait

    async def outcome(delivery: Delivery) -> None:
        match delivery.payload["n"]:
            case 1:
                raise PermanentFailure("Forbidden: bot was blocked by the user")
            case 2:
                raise Unreachable("citizen has no Telegram chat")
            case 3 if delivery.attempts == 1:
                raise RetryLater(60, "Telegram flood control")

    async def table() -> dict[tuple[str, str], int]:
        rows = await OutboxMessage.select(OutboxMessage.channel, OutboxMessage.status)
        return dict(Counter((row["channel"], row["status"]) for row in rows))

    for later in (timedelta(seconds=90), timedelta(minutes=5)):  # the retry, then nothing new
        with clock.frozen_at(queued_at + later):
            await deliver_pending(deliverers={"citizen": outcome})
            shown = await outbox.figures(now=clock.now())
        assert shown.messages == await table()
        assert shown.lag_seconds == later.total_seconds()  # the department's two still wait
    assert shown.messages == {
        ("citizen", "sent"): 3,  # the retried one went through the second time
        ("citizen", "failed"): 1,
        ("citizen", "skipped"): 1,
        ("department", "pending"): 2,
    }
    await deliver_pending(deliverers={"department": outcome})
    shown = await outbox.figures(now=clock.now())
    assert shown.lag_seconds == 0
    assert shown.messages == await table() == {
        ("citizen", "sent"): 3, ("citizen", "failed"): 1, ("citizen", "skipped"): 1,
        ("department", "sent"): 1, ("department", "failed"): 1,
    }  # fmt: skip


async def test_a_claimed_batch_is_finished_before_its_lease_runs_out(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BATCH deliveries of at most DELIVERY_TIMEOUT fit in the lease, each channel's requests
    fit in a delivery, no worker may claim more than fits, and a delivery that hangs is cut
    off and retried instead of holding its batch past the lease."""
    assert outbox.lease_covers(outbox.BATCH)
    assert outbox.DELIVERY_TIMEOUT.total_seconds() > webhook_channel.TIMEOUT_SECONDS
    with pytest.raises(ValueError, match="outlast the lease"):
        await outbox.claim(limit=100, channels=["citizen"])

    monkeypatch.setattr(outbox, "DELIVERY_TIMEOUT", timedelta(seconds=0.2))
    await _queue(2)
    sent: list[int] = []

    async def hanging_then_fine(delivery: Delivery) -> None:
        if delivery.payload["n"] == 0:
            await asyncio.sleep(3600)
        sent.append(delivery.payload["n"])

    stats = await deliver_pending(deliverers={"citizen": hanging_then_fine})
    assert (stats.retried, stats.sent, sent) == (1, 1, [1])
    assert await _statuses() == Counter({"sent": 1, "pending": 1})
