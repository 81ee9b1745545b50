"""/metrics and the log lines, as an operator reads them."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.observability import JsonFormatter
from config.settings import Settings
from core import clock
from db.engine import current_engine
from tests.helpers import FixedRouter


async def _families(client: AsyncTestClient) -> dict:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(response.text)}


async def test_metrics_parse_and_follow_the_reports(client: AsyncTestClient) -> None:
    client.app.state.router = FixedRouter("DLH")
    for _ in range(3):
        created = await client.post(
            "/api/v1/reports", json={"text": "Sampah menumpuk di TPS Dinoyo sudah seminggu"}
        )
        assert created.status_code == 201
    families = await _families(client)
    reports = {
        (s.labels["status"], s.labels["department"]): s.value
        for s in families["ingatkan_reports"].samples
    }
    assert reports[("open", "DLH")] == 3
    received = {s.labels["channel"]: s.value for s in families["ingatkan_reports_received"].samples}
    assert received["api"] == 3
    confidence = families["ingatkan_classifier_confidence"]
    count = next(s for s in confidence.samples if s.name.endswith("_count"))
    assert count.value == 3
    outbox = {
        (s.labels["channel"], s.labels["status"]): s.value
        for s in families["ingatkan_outbox_messages"].samples
    }
    assert outbox[("department", "pending")] == 3
    assert families["ingatkan_outbox_lag_seconds"].samples[0].value >= 0
    # request latency, by path template
    latency = [n for n in families if n.startswith("ingatkan_request_duration")]
    assert latency


async def test_log_lines_are_json_with_a_request_id_and_no_personal_data(
    client: AsyncTestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = await client.post(
        "/api/v1/reports",
        json={
            "text": "Jalan berlubang di depan rumah Pak Budi Santoso, Jl. Kawi 12",
            "reporter": {"name": "Budi Santoso", "phone": "+6281234567890"},
        },
        headers={"x-request-id": "trace-abc-123"},
    )
    assert response.headers["x-request-id"] == "trace-abc-123"
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    access = [json.loads(line) for line in lines if '"ingatkan.access"' in line]
    assert access and access[0]["request_id"] == "trace-abc-123"
    assert access[0]["status"] == 201 and access[0]["path"] == "/api/v1/reports"
    for line in lines:
        assert "Budi" not in line and "6281234567890" not in line
    generated = await client.get("/health")
    assert len(generated.headers["x-request-id"]) == 32


TOKEN = "prometheus-scrape-token-7f3a9c"


async def test_metrics_need_the_token_when_one_is_set(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, rate_limit=None, metrics_token=TOKEN))
    async with AsyncTestClient(app=app) as client:
        for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": TOKEN},
                        {"authorization": f"Bearer {TOKEN}x"}):  # fmt: skip
            refused = await client.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["www-authenticate"] == "Bearer"
            assert "ingatkan_reports" not in refused.text
        allowed = await client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
        assert allowed.status_code == 200 and "ingatkan_reports" in allowed.text
        assert (await client.get("/health")).status_code == 200  # liveness stays open


async def test_metrics_are_open_without_a_token(client: AsyncTestClient) -> None:
    assert (await client.get("/metrics")).status_code == 200


@contextmanager
def _served(app: Litestar) -> Iterator[str]:
    """The app behind a real uvicorn in a thread of its own, so scrapes arrive at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _queries(output: str) -> int:
    """Statements Piccolo ran while it logged them (it prints "Query N:" before each)."""
    return len(re.findall(r"Query \d+:", output))


def _open_reports(text: str) -> float:
    families = {family.name: family for family in text_string_to_metric_families(text)}
    return sum(
        sample.value
        for sample in families["ingatkan_reports"].samples
        if sample.labels["status"] == "open"
    )


async def test_a_flood_of_scrapes_runs_the_snapshot_queries_once_per_period(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """20 scrapes at once on a cold cache cost the database what one scrape costs. A report
    that arrives afterwards shows on the first scrape after the period, not before."""
    moment = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    app = create_app(
        Settings(database_url=database_url, rate_limit=None), router=FixedRouter("DLH")
    )
    report = {"text": "Sampah menumpuk di TPS Dinoyo sudah seminggu"}
    with clock.frozen_at(lambda: moment), _served(app) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            assert (await http.post("/api/v1/reports", json=report)).status_code == 201
            # the first scrape derives the new report into the figures; the cache then expires
            assert _open_reports((await http.get("/metrics")).text) == 1
            moment += timedelta(seconds=16)
            engine = current_engine()
            capsys.readouterr()
            engine.log_queries = True
            try:
                scrapes = await asyncio.gather(*(http.get("/metrics") for _ in range(20)))
                flood = _queries(capsys.readouterr().out)
                moment += timedelta(seconds=16)
                assert (await http.get("/metrics")).status_code == 200
                one_scrape = _queries(capsys.readouterr().out)
            finally:
                engine.log_queries = False
            assert one_scrape >= 5  # the snapshot's reads
            assert flood == one_scrape
            assert {scrape.status_code for scrape in scrapes} == {200}
            assert {_open_reports(scrape.text) for scrape in scrapes} == {1}

            assert (await http.post("/api/v1/reports", json=report)).status_code == 201
            moment += timedelta(seconds=14)
            assert _open_reports((await http.get("/metrics")).text) == 1
            moment += timedelta(seconds=2)
            assert _open_reports((await http.get("/metrics")).text) == 2
