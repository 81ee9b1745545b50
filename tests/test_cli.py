"""The product as an operator runs it: the `ingatkan` command in real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import redis

from core.figures.rollup import for_reading
from core.reports import lifecycle
from db.tables import Report, User
from scheduler.runner import RUN_ONCE_ORDER
from tests.helpers import ADMIN, report_in
from tests.ports import free_port, redis_url

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

INGATKAN = str(Path(sys.executable).parent / "ingatkan")


@contextmanager
def serving(database_url: str, cwd: Path, **environment: str) -> Iterator[str]:
    """`ingatkan serve` in its own process, until the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "INGATKAN_DATABASE_URL": database_url,
        "INGATKAN_RATE_LIMIT": "off",
        **environment,
    }
    log = cwd / "serve.log"  # what an operator's terminal would show, kept for the test
    with log.open("ab") as output:
        process = subprocess.Popen(
            [INGATKAN, "serve", "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # A fresh folder answers at once and trains the first model meanwhile.
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=10)
                raise AssertionError(f"server did not come up:\n{log.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


def test_first_serve_answers_while_it_trains_and_routes_what_waited(tmp_path: Path) -> None:
    """The README's first command: no configuration, a fresh folder. The server answers and
    takes a report while it trains the first model; the report waits in triage and is routed
    by the model once it is ready, with its event on the timeline."""
    env_url = os.environ.pop("INGATKAN_DATABASE_URL", None)
    try:
        with serving("", tmp_path) as base:
            training = httpx.get(f"{base}/health").json()
            created = httpx.post(
                f"{base}/api/v1/reports",
                json={"text": "Lampu jalan di Jl. Kawi mati sejak tiga hari"},
            )
            assert created.status_code == 201
            code = created.json()["tracking_code"]
            # answered before any model existed: the report waits for it in triage
            assert training["routing"] == "training"
            assert created.json()["status"] == "triage" and created.json()["department"] is None
            deadline = time.monotonic() + 600  # a bound for a stuck process, not a goal
            while httpx.get(f"{base}/health").json()["routing"] != "ready":
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
            tracked = httpx.get(f"{base}/api/v1/reports/{code}").json()
            while tracked["status"] == "triage":  # the model is loaded, the routing follows
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
                tracked = httpx.get(f"{base}/api/v1/reports/{code}").json()
    finally:
        if env_url is not None:
            os.environ["INGATKAN_DATABASE_URL"] = env_url
    assert tracked["status"] == "open" and tracked["department"]["code"] == "DPUPRPKP"
    assert [e["event"] for e in tracked["timeline"]] == ["submitted", "routed"]
    assert (tmp_path / "data" / "ingatkan.sqlite3").exists()
    # the console told the operator, in this order: training started, a request answered
    # meanwhile, the model ready with the waiting report routed
    log = (tmp_path / "serve.log").read_text().splitlines()
    lines = [json.loads(line) for line in log if line.startswith("{")]
    said = [line.get("message", "") for line in lines]
    started = next(n for n, text in enumerate(said) if text.startswith("training the first"))
    answered = next(n for n, line in enumerate(lines) if line.get("path") == "/api/v1/reports")
    ready = next(
        n for n, text in enumerate(said) if text.endswith("waited in triage, classified: 1")
    )
    assert started < answered < ready


async def test_submitted_and_acknowledged_report_survives_a_restart(
    db: str, tmp_path: Path
) -> None:
    with serving(db, tmp_path) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            created = await client.post(
                "/api/v1/reports", json={"text": "Sampah di TPS Tlogomas tidak diangkut seminggu"}
            )
            assert created.status_code == 201
            code = created.json()["tracking_code"]
        assert created.json()["department"]["code"] == "DLH"  # routed by the classifier
        await lifecycle.acknowledge(tracking_code=code, actor=ADMIN)
    # the first server was killed outright; a new one finds everything
    with serving(db, tmp_path) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            tracked = (await client.get(f"/api/v1/reports/{code}")).json()
    assert tracked["status"] == "in_progress"
    assert tracked["department"]["code"] == "DLH"
    assert [e["event"] for e in tracked["timeline"]] == ["submitted", "acknowledged"]
    assert await Report.count() == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_logs_json_lines_that_say_what_happened(database_url: str, tmp_path: Path) -> None:
    """The real process's output, as an operator reads it: one JSON object a line, access
    lines with method, path, status, duration and request id, no personal data, and no line a
    client can forge through its path."""
    with serving(database_url, tmp_path) as base:
        created = httpx.post(
            f"{base}/api/v1/reports",
            json={
                "text": "Jalan berlubang di depan rumah Pak Budi Santoso, Jl. Kawi 12",
                "reporter": {"name": "Budi Santoso", "phone": "+6281234567890"},
            },
            headers={"x-request-id": "trace-abc-123"},
        )
        assert created.status_code == 201
        forged = '\n{"level": "CRITICAL", "logger": "forged", "message": "x"}'
        for path in (f"/health{forged}", "/lacak/MLG-AAAAAA\u2028forged"):
            httpx.get(f"{base}{quote(path)}")
    text = (tmp_path / "serve.log").read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all(isinstance(line, dict) and "level" in line for line in lines), text
    assert not [line for line in lines if line.get("logger") == "forged"]
    access = [line for line in lines if line["logger"] == "ingatkan.access"]
    posted = next(line for line in access if line["method"] == "POST")
    assert posted["path"] == "/api/v1/reports" and posted["status"] == 201
    assert posted["request_id"] == "trace-abc-123" and posted["duration_ms"] >= 0
    assert any(line["path"].startswith("/health\n") for line in access)
    assert any(line["message"] == "scheduler started in this process" for line in lines)
    assert "Budi" not in text and "81234567890" not in text


def _run(*args: str, database_url: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [INGATKAN, *args],
        env={**os.environ, "INGATKAN_DATABASE_URL": database_url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_users_create_and_seed(db: str) -> None:
    created = _run(
        "users", "create", "--username", "sari.dlh", "--full-name", "Sari", "--role", "officer",
        "--department", "DLH", database_url=db, stdin="kata-sandi-rahasia\nkata-sandi-rahasia\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    user = await User.select().where(User.username == "sari.dlh").first()
    assert user["role"] == "officer" and "kata-sandi" not in user["password_hash"]
    refused = _run(
        "users", "create", "--username", "tono", "--role", "officer", "--department", "NOPE",
        database_url=db, stdin="kata-sandi-rahasia\nkata-sandi-rahasia\n",
    )  # fmt: skip
    assert refused.returncode != 0 and "department" in refused.stderr
    seeded = _run("seed", "--reports", "3000", "--days", "60", database_url=db)
    assert seeded.returncode == 0, seeded.stderr
    assert "seeding:      3,000/3,000" in seeded.stderr  # progress was shown
    assert "figures:" in seeded.stderr  # and the figures were brought up to date with it
    assert await Report.count() == 3000
    assert not (await for_reading()).catching_up  # no page has the import to derive
    statuses = {row["status"] for row in await Report.select(Report.status)}
    assert {"closed", "open", "in_progress"} <= statuses


@pytest.mark.parametrize("bad", ["mysql://x", "sqlite:///"])
def test_bad_database_url_is_a_clear_error(bad: str) -> None:
    result = _run("migrate", database_url=bad)
    assert result.returncode != 0
    assert "INGATKAN_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


async def test_scheduler_once_prints_one_json_summary(db: str) -> None:
    from datetime import timedelta

    from core import clock
    from db.tables import OutboxMessage, ReportLadder

    report = await report_in("open")
    # push the report's ladder into the past, as if the department sat on it for weeks
    await Report.update({Report.due_at: clock.now() - timedelta(days=15)}).where(
        Report.id == report.id
    )
    await ReportLadder.update(
        {
            ReportLadder.next_escalation_at: clock.now() - timedelta(days=20),
            ReportLadder.escalate_at: clock.now() - timedelta(days=10),
        }
    ).where(ReportLadder.id == report.ladder)
    result = _run("scheduler", "--once", database_url=db)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert summary["escalation"]["reminder"] == 1
    assert summary["escalation"]["escalated"] == 1 and summary["escalation"]["letters"] == 1
    assert set(summary) == set(RUN_ONCE_ORDER)  # every job ran
    assert summary["metrics"]["reports"] >= 1  # the dashboards' figures were brought up to date
    # one correction (the verifier's routing) is far from enough to retrain
    assert summary["retrain"] == {"retrained": False, "corrections_waiting": 1}
    # without a Telegram bot nothing is delivered and nothing is lost
    assert summary["delivery"]["claimed"] == 0
    assert await OutboxMessage.count().where(OutboxMessage.status == "pending") >= 3
    again = json.loads(_run("scheduler", "--once", database_url=db).stdout)
    assert again["escalation"]["escalated"] == 0


async def test_classifier_predict_and_evaluate(db: str, tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "Lampu lalu lintas di perempatan Dinoyo mati sejak pagi"}),
        json.dumps({"text": "halo min"}),
        "not json",
        json.dumps({"text": "Ada kebakaran gudang di Jl. Muharto, asap hitam tebal!"}),
        json.dumps({"text": "Listrik di rumah padam sejak pagi dan token tidak bisa diisi"}),
    ]
    result = _run("classifier", "predict", database_url=db, stdin="\n".join(lines) + "\n")
    assert result.returncode == 1  # one line was bad; the others were still answered
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers[0]["department"] == "DISHUB" and 0 < answers[0]["confidence"] <= 1
    assert answers[1] == {
        "department": None,
        "confidence": answers[1]["confidence"],
        "urgent": False,
        "refer_to": None,
    }
    assert "line 3" in answers[2]["error"]
    assert answers[3]["department"] == "DAMKAR" and answers[3]["urgent"] is True
    assert answers[3]["refer_to"] is None
    # A matter of an outside authority: no department, the authority named.
    assert (answers[4]["department"], answers[4]["refer_to"]) == (None, "PLN")
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "\n".join(
            json.dumps({"text": text, "department": code, "urgent": False})
            for text, code in [
                ("Sampah di TPS Dinoyo tidak diangkut seminggu", "DLH"),
                ("KTP-el saya belum jadi padahal sudah rekam tiga bulan", "DISPENDUKCAPIL"),
                ("selamat pagi min", None),
            ]
        )
        + "\n"
        + json.dumps(
            {"text": "Tiang listrik roboh", "department": None, "urgent": True, "refer_to": "PLN"}
        )
    )
    evaluated = _run("classifier", "evaluate", str(sample), database_url=db)
    assert evaluated.returncode == 0, evaluated.stderr
    figures = json.loads(evaluated.stdout)  # one JSON object; the table goes to stderr
    assert figures["n"] == 4 and figures["n_actionable"] == 2 and figures["n_referrals"] == 1
    for key in ("accuracy", "macro_f1", "coverage", "held_back", "urgent_recall"):
        assert 0 <= figures[key] <= 1
    assert set(figures) >= {"urgent_false_alarms", "referral_accuracy", "referral_precision"}
    for heading in ("accuracy", "macro", "coverage", "held back", "false alarms", "referral"):
        assert heading in evaluated.stderr.lower()


async def test_backup_and_restore(db: str, tmp_path: Path) -> None:
    for _ in range(3):
        await report_in("open")
    target = tmp_path / "ingatkan.backup"
    taken = _run("backup", str(target), database_url=db)
    assert taken.returncode == 0, taken.stderr
    assert target.stat().st_size > 0
    await report_in("triage")  # written after the backup
    assert await Report.count() == 4
    refused = _run("restore", str(target), database_url=db)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = _run("restore", str(target), "--yes", database_url=db)
    assert restored.returncode == 0, restored.stderr
    assert await Report.count() == 3
    assert {row["status"] for row in await Report.select(Report.status)} == {"open"}


async def test_rate_limits_hold_across_replicas_sharing_redis(db: str, tmp_path: Path) -> None:
    shared_redis = redis_url()

    def forget_counts() -> None:
        client = redis.Redis.from_url(shared_redis)
        for key in client.scan_iter(match="ingatkan*rate_limit*"):
            client.delete(key)
        client.close()

    shared = {"INGATKAN_REDIS_URL": shared_redis, "INGATKAN_RATE_LIMIT": "3/minute"}
    forget_counts()
    try:
        with serving(db, tmp_path, **shared) as first, serving(db, tmp_path, **shared) as second:
            forget_counts()  # the start-up health checks are not counted anyway; be sure
            async with httpx.AsyncClient() as client:
                statuses = [
                    (
                        await client.post(
                            f"{base}/api/v1/reports", json={"text": "Lampu PJU mati di Jl. Ijen"}
                        )
                    ).status_code
                    for base in (first, second, first, second, first)
                ]
    finally:
        forget_counts()
    # three in all, whichever replica took them
    assert statuses == [201, 201, 201, 429, 429]
