"""The "webhook" deliverer: POSTs one outbox message to a department's webhook.

A 2xx answer is delivery. 408 and 429 mean "later" (after Retry-After when the receiver gives
one), any other 4xx means the receiver refuses this message for good, and everything else
(5xx, a refused connection, a timeout) is retried with the outbox's back-off. The timeout is
short, so a receiver that hangs holds a delivery batch up by seconds, not minutes.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from core import webhooks
from core.outbox import Delivery, PermanentFailure, RetryLater, Unreachable
from scheduler.delivery import Deliverer

TIMEOUT_SECONDS = 5.0
LONGEST_RETRY_AFTER = 3600.0
USER_AGENT = "ingatkan-webhooks/1"


def _retry_after(response: httpx.Response) -> float:
    """Retry-After in seconds (0: use the outbox's back-off); HTTP dates are not worth it."""
    raw = response.headers.get("retry-after", "").strip()
    return min(float(raw), LONGEST_RETRY_AFTER) if raw.isdigit() else 0.0


@asynccontextmanager
async def webhook_deliverer(
    *, request_timeout: float = TIMEOUT_SECONDS
) -> AsyncIterator[Deliverer]:
    """A deliverer sharing one HTTP client (and its connections) for as long as it is open."""
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(request_timeout),
        follow_redirects=False,
        headers={"user-agent": USER_AGENT},
    ) as client:

        async def deliver(delivery: Delivery) -> None:
            webhook_id = delivery.payload["webhook_id"]
            webhook = await webhooks.webhook_for_delivery(webhook_id)
            if webhook is None:
                raise Unreachable(f"webhook {webhook_id} was deactivated")
            body = webhooks.encode(delivery.payload["body"])
            headers = {
                "content-type": "application/json",
                webhooks.SIGNATURE_HEADER: webhooks.sign(webhook["secret"], body),
                webhooks.DELIVERY_HEADER: delivery.payload["delivery_id"],
                webhooks.EVENT_HEADER: delivery.template,
            }
            started = time.perf_counter()
            status_code: int | None = None
            error: str | None = None
            try:
                response = await client.post(webhook["url"], content=body, headers=headers)
                status_code = response.status_code
                if not response.is_success:
                    error = f"HTTP {status_code} {response.reason_phrase}".strip()
            except httpx.HTTPError as failure:
                error = f"{type(failure).__name__}: {failure}".rstrip(": ")
            await webhooks.record_attempt(
                webhook_id=webhook_id,
                message_id=delivery.id,
                attempt=delivery.attempts,
                status_code=status_code,
                error=error,
                duration_ms=round((time.perf_counter() - started) * 1000),
            )
            if error is None:
                return
            if status_code in {408, 429}:
                raise RetryLater(_retry_after(response), error)
            if status_code is not None and 400 <= status_code < 500:
                raise PermanentFailure(error)
            raise RetryLater(0, error)

        yield deliver
