"""Delivery of the outbox: claim due messages, hand each to its channel's deliverer, record
the outcome. One message's failure is contained and logged; the batch goes on."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from core import outbox
from core.outbox import Deliverer, Delivery, PermanentFailure, RetryLater, Unreachable

logger = logging.getLogger("ingatkan.delivery")


@dataclass
class DeliveryStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)

    def add(self, other: DeliveryStats) -> None:
        for name in ("claimed", "sent", "retried", "failed", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for channel, count in other.by_channel.items():
            self.by_channel[channel] = self.by_channel.get(channel, 0) + count


async def _retry_or_give_up(
    delivery: Delivery, *, after: timedelta, error: str, stats: DeliveryStats
) -> None:
    if delivery.attempts >= outbox.MAX_ATTEMPTS:
        await outbox.mark_failed(delivery.id, error=f"gave up after {delivery.attempts}: {error}")
        stats.failed += 1
    else:
        await outbox.mark_retry(delivery.id, after=after, error=error)
        stats.retried += 1


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
    *, deliverers: Mapping[str, Deliverer], batch: int = 100
) -> DeliveryStats:
    """Deliver one batch of due messages."""
    stats = DeliveryStats()
    claimed = await outbox.claim(limit=batch, channels=sorted(deliverers))
    stats.claimed = len(claimed)
    for delivery in claimed:
        try:
            await deliverers[delivery.channel](delivery)
        except RetryLater as busy:
            # When the service says how long to wait (Telegram's retry_after), wait exactly that.
            after = (
                timedelta(seconds=busy.seconds)
                if busy.seconds > 0
                else outbox.backoff(delivery.attempts)
            )
            _log_failure(delivery, outcome="retry", reason=busy.reason)
            await _retry_or_give_up(delivery, after=after, error=busy.reason, stats=stats)
        except PermanentFailure as refused:
            _log_failure(delivery, outcome="failed", reason=str(refused))
            await outbox.mark_failed(delivery.id, error=str(refused))
            stats.failed += 1
        except Unreachable as nowhere:
            await outbox.mark_failed(delivery.id, error=str(nowhere), status="skipped")
            stats.skipped += 1
        except Exception as error:
            logger.exception("delivery of outbox message %s failed", delivery.id)
            await _retry_or_give_up(
                delivery,
                after=outbox.backoff(delivery.attempts),
                error=f"{type(error).__name__}: {error}",
                stats=stats,
            )
        else:
            await outbox.mark_sent(delivery.id)
            stats.sent += 1
            stats.by_channel[delivery.channel] = stats.by_channel.get(delivery.channel, 0) + 1
    return stats


async def deliver_all(*, deliverers: Mapping[str, Deliverer], batch: int = 100) -> DeliveryStats:
    """Deliver batches until nothing is due (for `scheduler --once` and tests)."""
    total = DeliveryStats()
    while True:
        stats = await deliver_pending(deliverers=deliverers, batch=batch)
        total.add(stats)
        if stats.claimed < batch:
            return total
