"""What operators see: /metrics in Prometheus text format, and JSON log lines that carry a
request id. Log lines name methods, paths, statuses and durations, never bodies or query
strings, so no personal data reaches them."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from litestar import Request, Response, get
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from core import clock
from core.figures.gauges import snapshot
from core.figures.metrics import CONFIDENCE_BUCKETS
from core.figures.models import Snapshot

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("ingatkan.access")

# Request counts and latencies by method, path template and status.
PROMETHEUS = PrometheusConfig(
    app_name="ingatkan", prefix="ingatkan", group_path=True, exclude=["/metrics", "/health"]
)


class _DatabaseCollector:
    """Hands the last snapshot to prometheus_client, which collects synchronously."""

    def __init__(self) -> None:
        self.latest = Snapshot()

    def collect(self) -> Iterator[Metric]:
        data = self.latest
        reports = GaugeMetricFamily(
            "ingatkan_reports", "Reports by status and department", labels=["status", "department"]
        )
        for (status, department), count in sorted(data.reports.items()):
            reports.add_metric([status, department], count)
        yield reports
        overdue = GaugeMetricFamily(
            "ingatkan_reports_overdue", "Open reports past their deadline", labels=["department"]
        )
        for department, count in sorted(data.overdue.items()):
            overdue.add_metric([department], count)
        yield overdue
        received = CounterMetricFamily(
            "ingatkan_reports_received", "Reports received, by channel", labels=["channel"]
        )
        for channel, count in sorted(data.received.items()):
            received.add_metric([channel], count)
        yield received
        confidence = HistogramMetricFamily(
            "ingatkan_classifier_confidence", "Routing confidence of classified reports"
        )
        buckets = [
            (str(bound), count)
            for bound, count in zip(CONFIDENCE_BUCKETS, data.confidence_buckets, strict=False)
        ]
        confidence.add_metric(
            [], [*buckets[:-1], ("+Inf", data.confidence_count)], sum_value=data.confidence_sum
        )
        yield confidence
        messages = GaugeMetricFamily(
            "ingatkan_outbox_messages", "Outbox messages by channel and status",
            labels=["channel", "status"],
        )  # fmt: skip
        for (channel, status), count in sorted(data.outbox.items()):
            messages.add_metric([channel, status], count)
        yield messages
        yield GaugeMetricFamily(
            "ingatkan_outbox_lag_seconds",
            "Age of the oldest message waiting for delivery",
            value=data.outbox_lag_seconds,
        )


_collector = _DatabaseCollector()
REGISTRY.register(_collector)


# How old the database figures on /metrics may be: Prometheus scrapes every 15 s or so.
SNAPSHOT_PERIOD = timedelta(seconds=15)


class _SnapshotCache:
    """The database figures, taken at most once per period by one app (a process): the
    snapshot is a dozen aggregate queries over every report, and a flood of scrapes must not
    become a flood of them. Scrapes that find it stale while another is refreshing it wait
    for that refresh instead of starting their own."""

    def __init__(self) -> None:
        self._latest = Snapshot()
        self._taken_at: datetime | None = None
        self._refreshing = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._taken_at is not None and (
            timedelta(0) <= clock.now() - self._taken_at < SNAPSHOT_PERIOD
        )

    async def latest(self) -> Snapshot:
        if not self._fresh():
            async with self._refreshing:
                if not self._fresh():  # unless the scrape this one waited for refreshed it
                    self._latest = await snapshot()
                    self._taken_at = clock.now()
        return self._latest


def _authorized(request: Request[Any, Any, Any], token: str | None) -> bool:
    if not token:
        return True
    offered = request.headers.get("authorization", "")
    return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


@get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    state = request.app.state
    if not _authorized(request, state.settings.metrics_token):
        raise NotAuthorizedException(headers={"WWW-Authenticate": "Bearer"})
    if "metrics_snapshot" not in state:
        state.metrics_snapshot = _SnapshotCache()
    _collector.latest = await state.metrics_snapshot.latest()
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


_make_record = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    # Taken when the line is logged, in the request's context; handlers may format it later.
    record = _make_record(*args, **kwargs)
    record.request_id = request_id.get()
    return record


logging.setLogRecordFactory(_record_with_request_id)


class JsonFormatter(logging.Formatter):
    # The time to the second, formatted once a second: under load, formatting it for every
    # access line cost as much as the rest of the line.
    _second = -1
    _stamp = ""

    def format(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        if second != self._second:
            self._second, self._stamp = second, self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")
        entry: dict[str, Any] = {
            "time": self._stamp,
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = getattr(record, "request_id", None)
        if current:
            entry["request_id"] = current
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        # ASCII escapes: a newline, or a Unicode line separator, sent in a path stays inside
        # its string, so no client can start a line of its own in the log.
        return json.dumps(entry, ensure_ascii=True, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the whole process: ours, the scheduler's, uvicorn's. Every
    process entry point calls this once; the app itself leaves logging alone (create_app
    passes no Litestar logging config, which would replace this handler)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "piccolo", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Give every request an id (the caller's X-Request-ID when it is sane), echo it in the
    response, and write one access line when the response starts."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        offered = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        current = offered if 8 <= len(offered) <= 64 and offered.isprintable() else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", current.encode()),
                ]
                access_log.info(
                    "request",
                    extra={"fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": message["status"],
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    }},
                )  # fmt: skip
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)

    return middleware
