"""The "webhook" deliverer: POSTs one outbox message to a department's webhook.

A 2xx answer is delivery. 408 and 429 mean "later" (after Retry-After when the receiver gives
one), any other 4xx means the receiver refuses this message for good, and everything else
(5xx, a refused connection, a timeout) is retried with the outbox's back-off. The timeout is
short, so a receiver that hangs holds a delivery batch up by seconds, not minutes.

Every connection is opened to an address core.integrations.targets allows, checked after
resolving the name and used as checked (a name cannot resolve to a public address for the
check and to a private one for the connection). A refused target fails the message for good.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Collection, Iterable
from contextlib import asynccontextmanager

import httpcore
import httpx
import msgspec

from core.integrations import targets, webhooks
from core.integrations.models import WebhookPayload
from core.messaging import outbox
from core.messaging.models import Delivery
from core.messaging.outbox import Deliverer, PermanentFailure, RetryLater, Unreachable

TIMEOUT_SECONDS = outbox.CHANNEL_TIMEOUT.total_seconds()  # within the outbox's lease
LONGEST_RETRY_AFTER = 3600.0
USER_AGENT = "ingatkan-webhooks/1"
logger = logging.getLogger("ingatkan.webhooks")


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses core.integrations.targets allows. TLS still
    verifies the certificate against the URL's host name, which httpcore passes on unchanged."""

    def __init__(self, allowed_hosts: Collection[str]) -> None:
        self._allowed = allowed_hosts
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await targets.checked_addresses(host, port, self._allowed)
        except OSError as error:  # the name does not resolve: like a refused connection
            raise httpcore.ConnectError(f"{host}: {error}") from error
        for address in addresses[:-1]:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError:
                continue
        return await self._inner.connect_tcp(
            str(addresses[-1]), port, timeout, local_address, socket_options
        )

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over _CheckedBackend. httpx takes no network backend, so the
    connection pool is built again with one (httpx is pinned in requirements.lock; the
    webhook tests fail if a delivery ever bypasses the check). No proxy from the
    environment: the check must see the receiver's address, not a proxy's."""

    def __init__(self, allowed_hosts: Collection[str]) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_CheckedBackend(allowed_hosts),
        )


def _retry_after(response: httpx.Response) -> float:
    """Retry-After in seconds (0: use the outbox's back-off); HTTP dates are not worth it."""
    raw = response.headers.get("retry-after", "").strip()
    return min(float(raw), LONGEST_RETRY_AFTER) if raw.isdigit() else 0.0


@asynccontextmanager
async def webhook_deliverer(
    *, allowed_hosts: Collection[str], request_timeout: float = TIMEOUT_SECONDS
) -> AsyncIterator[Deliverer]:
    """A deliverer sharing one HTTP client (and its connections) for as long as it is open.
    `allowed_hosts`: the operator's INGATKAN_WEBHOOK_ALLOWED_HOSTS, as at registration."""
    async with httpx.AsyncClient(
        transport=_CheckedTransport(allowed_hosts),
        timeout=httpx.Timeout(request_timeout),
        follow_redirects=False,
        headers={"user-agent": USER_AGENT},
        trust_env=False,
    ) as client:

        async def deliver(delivery: Delivery) -> None:
            payload = msgspec.convert(delivery.payload, WebhookPayload)
            webhook_id = payload.webhook_id
            webhook = await webhooks.webhook_for_delivery(webhook_id)
            if webhook is None:
                raise Unreachable(f"webhook {webhook_id} was deactivated")
            body = webhooks.encode(payload.body)
            headers = {
                "content-type": "application/json",
                webhooks.SIGNATURE_HEADER: webhooks.sign(webhook.secret, body),
                webhooks.DELIVERY_HEADER: payload.delivery_id,
                webhooks.EVENT_HEADER: delivery.template,
            }
            started = time.perf_counter()
            status_code: int | None = None
            error: str | None = None
            refused = False
            try:
                response = await client.post(webhook.url, content=body, headers=headers)
                status_code = response.status_code
                if not response.is_success:
                    error = f"HTTP {status_code} {response.reason_phrase}".strip()
            except httpx.HTTPError as failure:
                error = f"{type(failure).__name__}: {failure}".rstrip(": ")
            except targets.TargetRefused as refusal:
                refused, error = True, f"refused target: {refusal}"
                # The webhook and the address only: the body (a citizen's words) stays out.
                logger.warning(
                    "webhook target refused",
                    extra={"fields": {"webhook_id": webhook_id, "message_id": delivery.id,
                                      "reason": str(refusal)}},
                )  # fmt: skip
            await webhooks.record_attempt(
                webhook_id=webhook_id,
                message_id=delivery.id,
                attempt=delivery.attempts,
                status_code=status_code,
                error=error,
                duration_ms=round((time.perf_counter() - started) * 1000),
            )
            if refused:  # not the receiver's answer, and no retry will change it
                raise PermanentFailure(error)
            if error is None:
                return
            if status_code in {408, 429}:
                raise RetryLater(_retry_after(response), error)
            if status_code is not None and 400 <= status_code < 500:
                raise PermanentFailure(error)
            raise RetryLater(0, error)

        yield deliver
