"""The notification outbox.

`enqueue` is always called inside the transaction of the change that causes the message, so a
change and its notifications are committed together or not at all. Delivery claims due rows
with one conditional UPDATE (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an immediate transaction
on SQLite), so any number of workers can deliver and no row is handed to two of them. A claim
is a lease: a worker that dies mid-delivery leaves its rows to be claimed again when the lease
runs out, so none is lost. Finishing is fenced by the attempt the claim counted, so a worker
whose lease ran out cannot overwrite the outcome of the worker that claimed the row after it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Count

from core import clock
from core.messaging.models import Delivery, OutboxFigures
from core.messaging.recipients import STAFF_CHANNELS, hears_channel, staff_reached_by_mail
from db.engine import insert_rows, is_sqlite, write_transaction
from db.tables import Citizen, OutboxMessage, OutboxTally

logger = logging.getLogger("ingatkan.outbox")

# A claimed batch must be finished before its lease runs out, or another worker claims the
# same messages while this one still sends them: BATCH deliveries of at most DELIVERY_TIMEOUT
# each must fit in LEASE. scheduler/delivery.py cuts off a delivery that takes longer (a
# Telegram message to several officers is several requests, each with PTB's own timeouts);
# a webhook's request gives up by itself after CHANNEL_TIMEOUT, so its attempt is still
# recorded, and the rest of DELIVERY_TIMEOUT is the delivery's own database work.
LEASE = timedelta(minutes=2)
DELIVERY_TIMEOUT = timedelta(seconds=10)
CHANNEL_TIMEOUT = DELIVERY_TIMEOUT / 2
BATCH = 10

# A message waits (pending, or sending under a lease) until it finishes: sent, failed for good,
# or skipped (nowhere to send it). Finished is final.
WAITING = ("pending", "sending")


def lease_covers(batch: int) -> bool:
    """Whether `batch` deliveries are finished before their lease runs out."""
    return batch * DELIVERY_TIMEOUT < LEASE


assert lease_covers(BATCH), "BATCH x DELIVERY_TIMEOUT must be shorter than LEASE"

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


class RetryLater(Exception):
    """The recipient's service is busy or down; try again after `seconds`."""

    def __init__(self, seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.seconds = seconds
        self.reason = reason


class PermanentFailure(Exception):
    """Retrying will not help (the citizen blocked the bot, the chat is gone)."""


class Unreachable(Exception):
    """The recipient has no channel this message could go through."""


@dataclass(frozen=True)
class Message:
    """A message to queue: the one shape in which every producer writes the outbox, one row
    or thousands. `payload` is plain JSON data."""

    dedupe_key: str
    channel: str
    template: str
    payload: Mapping[str, Any]
    report_id: int | None = None
    citizen_id: int | None = None
    department_id: int | None = None

    def row(self, moment: datetime) -> dict[str, Any]:
        return {
            "dedupe_key": self.dedupe_key,
            "channel": self.channel,
            "template": self.template,
            "report": self.report_id,
            "citizen": self.citizen_id,
            "department": self.department_id,
            "payload": self.payload,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": moment,
            "created_at": moment,
        }


async def enqueue(*messages: Message, skip_duplicates: bool = False) -> None:
    """Queue `messages`, inside the transaction of the change that causes them. A message
    whose dedupe key is already queued is an error, or left out with `skip_duplicates`."""
    moment = clock.now()
    rows = [message.row(moment) for message in (*messages, *await _by_mail(messages))]
    await insert_rows(OutboxMessage, rows, skip_conflicts=skip_duplicates)


# The channel of the mails written for staff who hear of their notices by email; the staff
# channel each was written for is in its payload.
STAFF_EMAIL = "staff_email"


async def _by_mail(messages: Sequence[Message]) -> list[Message]:
    return [*await _citizens_by_mail(messages), *await _staff_by_mail(messages)]


async def _staff_by_mail(messages: Sequence[Message]) -> list[Message]:
    """A message on a staff channel goes, besides Telegram, as one mail to each staff member of
    its audience who linked no Telegram chat but has an address (core/staff/notices.py), each
    with a dedupe key of its own: exactly once per staff member per event. The mail deliverer
    checks again at sending that the mail still reaches them by mail."""
    staff_messages = [m for m in messages if m.channel in STAFF_CHANNELS]
    if not staff_messages:
        return []
    staff = await staff_reached_by_mail()
    return [
        replace(
            message,
            dedupe_key=f"{message.dedupe_key}:email:u{member['id']}",
            channel=STAFF_EMAIL,
            payload={**message.payload, "staff_channel": message.channel, "user": member["id"]},
        )
        for message in staff_messages
        for member in staff
        if hears_channel(
            channel=message.channel,
            role=member["role"],
            department_id=member["department"],
            of=message.department_id,
        )
    ]


async def _citizens_by_mail(messages: Sequence[Message]) -> list[Message]:
    """A message to a citizen goes by mail too when they left an email address; the mail
    deliverer (scheduler/mail.py) decides at sending whether the address may hear it."""
    citizens = {m.citizen_id for m in messages if m.channel == "citizen" and m.citizen_id}
    if not citizens:
        return []
    with_email = {
        row["id"]
        for row in await Citizen.select(Citizen.id).where(
            Citizen.id.is_in(sorted(citizens)) & Citizen.email.is_not_null()
        )
    }
    return [
        replace(message, dedupe_key=f"{message.dedupe_key}:email", channel="email")
        for message in messages
        if message.channel == "citizen" and message.citizen_id in with_email
    ]


# What every channel implements (scheduler/webhooks.py, bot/delivery.py): send one message,
# or raise RetryLater, PermanentFailure or Unreachable.
Deliverer = Callable[[Delivery], Awaitable[None]]


_CLAIM = """
UPDATE outbox_message
SET status = 'sending', attempts = attempts + 1, next_attempt_at = {}
WHERE id IN (
    SELECT id FROM outbox_message
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= {} AND channel IN (%s)
    ORDER BY next_attempt_at, id
    LIMIT {}
    %s
)
RETURNING id, channel, template, payload, report, citizen, department, attempts
"""


async def claim(*, limit: int, channels: Sequence[str]) -> list[Delivery]:
    """Take up to `limit` due messages of `channels` for this worker, each leased for LEASE.
    Channels nobody can deliver yet (no bot configured) keep their messages waiting."""
    if not lease_covers(limit):
        raise ValueError(f"{limit} deliveries may outlast the lease of {LEASE}")
    if not channels:
        return []
    moment = clock.now()
    sql = _CLAIM % (
        ", ".join("{}" for _ in channels),
        "" if is_sqlite() else "FOR UPDATE SKIP LOCKED",
    )
    async with write_transaction():
        rows = await OutboxMessage.raw(sql, moment + LEASE, moment, *channels, limit)
    return [
        Delivery(
            id=row["id"],
            channel=row["channel"],
            template=row["template"],
            payload=json.loads(row["payload"])
            if isinstance(row["payload"], str)
            else row["payload"],
            report_id=row["report"],
            citizen_id=row["citizen"],
            department_id=row["department"],
            attempts=row["attempts"],
        )
        for row in sorted(rows, key=lambda row: row["id"])
    ]


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at an hour."""
    doubled: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(doubled, LONGEST_RETRY)


async def _finish(delivery: Delivery, values: dict[Any, Any]) -> bool:
    """Record a delivery's outcome; False, and logged, when the lease ran out and another
    worker claimed the message since: that worker's outcome stands (compare-and-set on the
    attempt each claim counts). A finished message is counted in the same transaction."""
    status = values[OutboxMessage.status]
    async with write_transaction():
        finished = (
            await OutboxMessage.update(values)
            .where(
                (OutboxMessage.id == delivery.id)
                & (OutboxMessage.status == "sending")
                & (OutboxMessage.attempts == delivery.attempts)
            )
            .returning(OutboxMessage.id)
        )
        if finished and status not in WAITING:
            await count_finished({(delivery.channel, status): 1})
    if not finished:
        logger.warning(
            "delivery outcome lost",
            extra={"fields": {
                "message_id": delivery.id,
                "attempt": delivery.attempts,
                "outcome": status,
            }},
        )  # fmt: skip
    return bool(finished)


async def mark_sent(delivery: Delivery) -> bool:
    moment = clock.now()
    return await _finish(delivery, {OutboxMessage.status: "sent", OutboxMessage.sent_at: moment})


async def mark_retry(delivery: Delivery, *, after: timedelta, error: str) -> bool:
    return await _finish(
        delivery,
        {
            OutboxMessage.status: "pending",
            OutboxMessage.next_attempt_at: clock.now() + after,
            OutboxMessage.last_error: error[:1000],
        },
    )


async def mark_failed(delivery: Delivery, *, error: str, status: str = "failed") -> bool:
    """`failed` when delivery was refused for good, `skipped` when there was nowhere to send."""
    return await _finish(
        delivery, {OutboxMessage.status: status, OutboxMessage.last_error: error[:1000]}
    )


_COUNT_FINISHED = """
INSERT INTO outbox_tally (channel, status, messages) VALUES ({}, {}, {})
ON CONFLICT (channel, status) DO UPDATE SET messages = outbox_tally.messages + excluded.messages
"""


async def count_finished(counts: Mapping[tuple[str, str], int]) -> None:
    """Add messages that finished, by (channel, status), to OutboxTally, inside the transaction
    that finished them: `_finish`, or a bulk writer of finished messages."""
    for (channel, status), messages in sorted(counts.items()):
        await OutboxTally.raw(_COUNT_FINISHED, channel, status, messages)


async def figures(*, now: datetime) -> OutboxFigures:
    """Messages by channel and status, and how far delivery is behind. The waiting ones are
    few and counted through their partial index; the finished ones are read from their
    tally. Never counts the whole table, which holds every message ever sent."""
    waiting, finished, lag = await asyncio.gather(
        OutboxMessage.select(OutboxMessage.channel, OutboxMessage.status, Count(alias="n"))
        .where(OutboxMessage.status.is_in(list(WAITING)))
        .group_by(OutboxMessage.channel, OutboxMessage.status),
        OutboxTally.select(OutboxTally.channel, OutboxTally.status, OutboxTally.messages).where(
            OutboxTally.messages != 0
        ),
        lag_seconds(now=now),
    )
    messages = {(row["channel"], row["status"]): row["messages"] for row in finished}
    messages.update({(row["channel"], row["status"]): row["n"] for row in waiting})
    return OutboxFigures(messages=messages, lag_seconds=lag)


async def lag_seconds(*, now: datetime | None = None) -> float:
    """Age of the oldest message still waiting: how far delivery is behind."""
    oldest = (
        await OutboxMessage.select(OutboxMessage.created_at)
        .where(OutboxMessage.status.is_in(list(WAITING)))
        .order_by(OutboxMessage.created_at)
        .first()
    )
    if oldest is None:
        return 0.0
    created_at: datetime = oldest["created_at"]
    return max(((now or clock.now()) - created_at).total_seconds(), 0.0)
