"""The notification outbox.

`enqueue` is always called inside the transaction of the change that causes the message, so a
change and its notifications are committed together or not at all. Delivery claims due rows
with one conditional UPDATE (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an immediate transaction
on SQLite), so any number of workers can deliver and no row is handed to two of them. A claim
is a lease: a worker that dies mid-delivery leaves its rows to be claimed again when the lease
runs out, so none is lost.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core import clock
from db.engine import insert_rows, is_sqlite, write_transaction
from db.tables import OutboxMessage

LEASE = timedelta(minutes=2)
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
    await insert_rows(
        OutboxMessage, [message.row(moment) for message in messages], skip_conflicts=skip_duplicates
    )


@dataclass(frozen=True)
class Delivery:
    """A claimed message, handed to its channel's Deliverer."""

    id: int
    channel: str
    template: str
    payload: dict[str, Any]
    report_id: int | None
    citizen_id: int | None
    department_id: int | None
    attempts: int


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
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


async def _finish(message_id: int, values: dict[Any, Any]) -> None:
    # Only the worker holding the lease may finish a message.
    await OutboxMessage.update(values).where(
        (OutboxMessage.id == message_id) & (OutboxMessage.status == "sending")
    )


async def mark_sent(message_id: int) -> None:
    moment = clock.now()
    await _finish(message_id, {OutboxMessage.status: "sent", OutboxMessage.sent_at: moment})


async def mark_retry(message_id: int, *, after: timedelta, error: str) -> None:
    await _finish(
        message_id,
        {
            OutboxMessage.status: "pending",
            OutboxMessage.next_attempt_at: clock.now() + after,
            OutboxMessage.last_error: error[:1000],
        },
    )


async def mark_failed(message_id: int, *, error: str, status: str = "failed") -> None:
    """`failed` when delivery was refused for good, `skipped` when there was nowhere to send."""
    await _finish(
        message_id, {OutboxMessage.status: status, OutboxMessage.last_error: error[:1000]}
    )


async def lag_seconds(*, now: datetime | None = None) -> float:
    """Age of the oldest message still waiting: how far delivery is behind."""
    oldest = (
        await OutboxMessage.select(OutboxMessage.created_at)
        .where(OutboxMessage.status.is_in(["pending", "sending"]))
        .order_by(OutboxMessage.created_at)
        .first()
    )
    if oldest is None:
        return 0.0
    return max(((now or clock.now()) - oldest["created_at"]).total_seconds(), 0.0)
