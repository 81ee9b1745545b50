"""Delivery of the outbox: claim due messages, hand each to its channel's deliverer, record
the outcome. One message's failure is contained and logged; the batch goes on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from core.messaging import outbox
from core.messaging.models import Delivery
from core.messaging.outbox import Deliverer, PermanentFailure, RetryLater, Unreachable

logger = logging.getLogger("ingatkan.delivery")


@dataclass
class DeliveryStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    lost: int = 0  # outcomes that came after the lease ran out (core.messaging.outbox._finish)
    by_channel: dict[str, int] = field(default_factory=dict)

    def add(self, other: DeliveryStats) -> None:
        for name in ("claimed", "sent", "retried", "failed", "skipped", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for channel, count in other.by_channel.items():
            self.by_channel[channel] = self.by_channel.get(channel, 0) + count


async def _retry_or_give_up(
    delivery: Delivery, *, after: timedelta, error: str
) -> tuple[str, bool]:
    if delivery.attempts >= outbox.MAX_ATTEMPTS:
        error = f"gave up after {delivery.attempts}: {error}"
        return "failed", await outbox.mark_failed(delivery, error=error)
    return "retried", await outbox.mark_retry(delivery, after=after, error=error)


def _log_failure(delivery: Delivery, *, outcome: str, reason: str) -> None:
    # The reason comes from the channel (an HTTP status, Telegram's error), never the message,
    # so no personal data; the recipient is named by the message id only.
    logger.warning(
        "delivery %s",
        outcome,
        extra={"fields": {
            "message_id": delivery.id,
            "channel": delivery.channel,
            "attempts": delivery.attempts,
            "reason": reason[:200],
        }},
    )  # fmt: skip


async def deliver_pending(
    *, deliverers: Mapping[str, Deliverer], batch: int = outbox.BATCH
) -> DeliveryStats:
    """Deliver one batch of due messages."""
    stats = DeliveryStats()
    claimed = await outbox.claim(limit=batch, channels=sorted(deliverers))
    stats.claimed = len(claimed)
    for delivery in claimed:
        outcome, recorded = await _deliver(delivery, deliverers[delivery.channel])
        if not recorded:  # the lease ran out and another worker has the message now
            stats.lost += 1
            continue
        setattr(stats, outcome, getattr(stats, outcome) + 1)
        if outcome == "sent":
            stats.by_channel[delivery.channel] = stats.by_channel.get(delivery.channel, 0) + 1
    return stats


async def _deliver(delivery: Delivery, deliverer: Deliverer) -> tuple[str, bool]:
    """Hand `delivery` to its channel and record the outcome: its name (a DeliveryStats
    counter) and whether it was recorded, or came too late."""
    try:
        # Cut off in time for the rest of the batch to finish within the lease.
        async with asyncio.timeout(outbox.DELIVERY_TIMEOUT.total_seconds()):
            await deliverer(delivery)
    except RetryLater as busy:
        # When the service says how long to wait (Telegram's retry_after), wait exactly that.
        asked = timedelta(seconds=busy.seconds)
        after = asked if busy.seconds > 0 else outbox.backoff(delivery.attempts)
        _log_failure(delivery, outcome="retry", reason=busy.reason)
        return await _retry_or_give_up(delivery, after=after, error=busy.reason)
    except PermanentFailure as refused:
        _log_failure(delivery, outcome="failed", reason=str(refused))
        return "failed", await outbox.mark_failed(delivery, error=str(refused))
    except Unreachable as nowhere:
        return "skipped", await outbox.mark_failed(delivery, error=str(nowhere), status="skipped")
    except TimeoutError:
        reason = f"took longer than {outbox.DELIVERY_TIMEOUT.total_seconds():g} s"
        _log_failure(delivery, outcome="retry", reason=reason)
        return await _retry_or_give_up(
            delivery, after=outbox.backoff(delivery.attempts), error=reason
        )
    except Exception as error:
        logger.exception("delivery of outbox message %s failed", delivery.id)
        return await _retry_or_give_up(
            delivery,
            after=outbox.backoff(delivery.attempts),
            error=f"{type(error).__name__}: {error}",
        )
    return "sent", await outbox.mark_sent(delivery)


async def deliver_all(
    *, deliverers: Mapping[str, Deliverer], batch: int = outbox.BATCH
) -> DeliveryStats:
    """Deliver batches until nothing is due (for `scheduler --once` and tests)."""
    total = DeliveryStats()
    while True:
        stats = await deliver_pending(deliverers=deliverers, batch=batch)
        total.add(stats)
        if stats.claimed < batch:
            return total
