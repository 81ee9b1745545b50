"""/metrics and the log lines, as an operator reads them."""

from __future__ import annotations

import json
import logging

import pytest
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from api.observability import JsonFormatter
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
