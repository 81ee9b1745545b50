"""The reports export of 1,000,000 rows, streamed by a real server process, with its memory
watched: the server's resident memory after the first 10,000 rows against its peak over the
whole download. Flat memory means a ratio near 1.

    .venv/bin/python -m bench.export [--reports 1000000]

A PostgreSQL database is created, seeded (core.reports.synthetic.seed_history, in bulk) and
dropped by the script; the server is `uvicorn api.app:create_app` in a process of its own.

The download starts once the server's first routing model is trained: training it in the
background takes a few hundred MiB for a while, and measured without that wait the peak was
twice the memory after 10,000 rows whatever the export's size (300,000 rows and 1,000,000
alike).

Measured on the project machine (2 cores), 1,000,000 rows: 29.0 s (34,437 rows/s); server
RSS 405.4 MiB before the request (the process trained its model), 413.2 MiB after 10,000
rows, 414.3 MiB at its peak: ratio 1.003.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from core.reports.synthetic import seed_history
from core.staff.actors import Actor
from core.staff.users import create_user
from db import engine as db_engine
from db.migrate import migrate
from tests.ports import free_port

ADMIN_URL = os.environ.get("INGATKAN_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
USERNAME = "bench.leadership"
PASSWORD = "bench-password-123"  # noqa: S105 - an account in a database dropped at the end
FIRST_ROWS = 10_000
SAMPLE_SECONDS = 0.05


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class Watch(threading.Thread):
    """Samples a process's resident memory until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(SAMPLE_SECONDS)


async def prepare(url: str, reports: int) -> None:
    engine = db_engine.create_engine(url)
    db_engine.bind(engine)
    await db_engine.start(engine)
    try:
        await migrate()
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            print(f"\rseeding {done:,}/{total:,}", end="", file=sys.stderr, flush=True)

        await seed_history(reports=reports, days=365, progress=progress)
        print(f"\nseeded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        await create_user(
            username=USERNAME,
            full_name="Bench",
            password=PASSWORD,
            role="leadership",
            actor=Actor.system(),
        )
    finally:
        await db_engine.stop(engine)
    connection = await asyncpg.connect(url)
    await connection.execute("VACUUM ANALYZE report")
    await connection.close()


async def download(base_url: str, pid: int, expected: int) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        signed_in = await client.post(
            "/api/v1/session", json={"username": USERNAME, "password": PASSWORD}
        )
        signed_in.raise_for_status()
        rss_before = rss_bytes(pid)
        watch = Watch(pid)
        watch.start()
        rows = -1  # the header
        rss_first = 0
        started = time.perf_counter()
        async with client.stream("GET", "/api/v1/exports/reports.csv") as response:
            response.raise_for_status()
            tail = b""  # a line end split between two chunks
            async for chunk in response.aiter_bytes():
                data = tail + chunk
                rows += data.count(b"\r\n")
                tail = data[-1:] if data.endswith(b"\r") else b""
                if not rss_first and rows >= FIRST_ROWS:
                    rss_first = rss_bytes(pid)
        seconds = time.perf_counter() - started
        watch.stopped.set()
        watch.join()
    assert rows == expected, f"{rows:,} rows streamed, {expected:,} expected"
    mib = 1024 * 1024
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "rss_before_request_mib": round(rss_before / mib, 1),
        "rss_after_10k_rows_mib": round(rss_first / mib, 1),
        "rss_peak_mib": round(watch.peak / mib, 1),
        "peak_over_10k_ratio": round(watch.peak / rss_first, 3),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1_000_000)
    args = parser.parse_args()
    name = f"ingatkan_bench_export_{uuid.uuid4().hex[:8]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    server: asyncio.subprocess.Process | None = None
    try:
        await prepare(url, args.reports)
        port = free_port()
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
            env={**os.environ, "INGATKAN_DATABASE_URL": url, "INGATKAN_RATE_LIMIT": "off"},
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        # A fresh database has no routing model yet: the server trains its first one in the
        # background (a few hundred MiB for a while), which is not the export's memory.
        async with httpx.AsyncClient(base_url=base_url, timeout=5) as probe:
            for _ in range(6000):
                try:
                    health = await probe.get("/health")
                    if health.status_code == 200 and health.json()["routing"] == "ready":
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the server's routing model was not ready in 10 minutes")
        result = await download(base_url, server.pid, args.reports)
        print(json.dumps(result))
        print(
            f"{result['rows']:,} rows in {result['seconds']}s; server RSS "
            f"{result['rss_after_10k_rows_mib']} MiB after 10,000 rows, peak "
            f"{result['rss_peak_mib']} MiB: ratio {result['peak_over_10k_ratio']}",
            file=sys.stderr,
        )
    finally:
        if server is not None:
            server.terminate()
            await asyncio.wait_for(server.wait(), timeout=30)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
