"""Response times of the staff and public pages on a large database.

Signs in as an officer of the busiest department, a head, a verifier and an admin, and times
each page over HTTP against one uvicorn process of the real app (rate limit off). Run it on a
database filled by `ingatkan seed --reports 1000000`:

    INGATKAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/big \\
        .venv/bin/python -m bench.staff_pages [--rounds 20]

Prints one line per page: median and 95th percentile in milliseconds.

Measured 2026-11-28, 2 cores, PostgreSQL 15, 1,000,000 reports (180 days) after
`VACUUM ANALYZE` (as autovacuum leaves a table; straight after the bulk COPY, without the
visibility map, counting a 33,000-report queue read the heap and took ~240 ms), 30 requests
per page, DLH (the busiest department: 32,877 unfinished reports):

    page                                      median    p95
    /officer                                    28.6   40.6
    /officer?overdue=1                          34.2   49.4
    /officer?q=sampah   (12,000 matches)       167.4  212.9
    /officer?status=in_progress&q=sampah       108.4  133.7
    /officer?kecamatan=Klojen                   24.4   40.6
    /officer?page=40                            28.9   40.4
    /officer/reports/{code}                     11.4   16.3
    /api/v1/queue                                7.0   15.6
    /head                                       62.0   83.3
    /verifier                                   77.8  100.0
    /admin, /admin/departments                  ≤13    ≤25
    /, /lacak/{code}, /kebijakan                ≤13    ≤30

Before the trigram and escalation indexes (now in db/migrations, named in db/tables.py), /head took
711 ms and /officer?kecamatan=Klojen 832 ms.

The archive pages, measured 2026-12-04 on 200,000 reports (365 days, 8,952 re-routed), 10
requests each, in one run with /officer (19 ms) as the reference: /officer?status=rerouted_away
took 179 ms (9.3x /officer) and /officer?status=archive 457 ms before the partial indexes
report_rerouted and report_event_arrival, 17 ms (0.9x) and 54 ms (2.8x) with them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from config.settings import Settings
from core.staff.actors import Actor
from db import engine as db_engine
from db.tables import Report, User
from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-123"  # noqa: S105 - accounts made by this benchmark only
BUSIEST = "DLH"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def _prepare(url: str) -> dict[str, str]:
    """Staff accounts (made once) and a few report codes to open."""
    from core.staff.users import create_user

    engine = db_engine.create_engine(url)
    db_engine.bind(engine)
    await db_engine.start(engine)
    try:
        for username, role, department in (
            ("bench.officer", "officer", BUSIEST),
            ("bench.head", "head", BUSIEST),
            ("bench.verifier", "verifier", None),
            ("bench.admin", "admin", None),
        ):
            if not await User.exists().where(User.username == username):
                await create_user(
                    username=username,
                    full_name=username,
                    password=PASSWORD,
                    role=role,
                    department_code=department,
                    actor=Actor.system(),
                )
        own = (
            await Report.select(Report.tracking_code)
            .where(Report.department.code == BUSIEST)
            .where(Report.status == "in_progress")
            .first()
        )
        triage = await Report.select(Report.tracking_code).where(Report.status == "triage").first()
        assert own and triage, "the seeded history has an in-progress and a triage report"
        return {"own": own["tracking_code"], "triage": triage["tracking_code"]}
    finally:
        await db_engine.stop(engine)


def _sign_in(client: httpx.Client, username: str) -> None:
    token = _TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf_token": token}
    )
    response.raise_for_status()


def _time(client: httpx.Client, path: str, rounds: int) -> tuple[float, float, int]:
    client.get(path)  # warm caches and prepared statements
    timings = []
    status = 0
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    url = Settings.from_env().database_url
    codes = asyncio.run(_prepare(url))
    reports = asyncio.run(_count(url))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "INGATKAN_RATE_LIMIT": "off"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        pages = {
            "bench.officer": [
                "/officer",
                "/officer?overdue=1",
                "/officer?q=sampah",
                "/officer?status=in_progress&q=sampah",
                "/officer?kecamatan=Klojen",
                "/officer?page=40",
                "/officer?status=rerouted_away",
                "/officer?status=archive",
                f"/officer/reports/{codes['own']}",
                "/api/v1/queue",
            ],
            "bench.head": ["/head"],
            "bench.verifier": ["/verifier", f"/officer/reports/{codes['triage']}"],
            "bench.admin": ["/admin", "/admin/departments"],
            "": ["/", f"/lacak/{codes['own']}", "/kebijakan"],
        }
        print(f"{reports:,} reports; {args.rounds} requests per page; milliseconds")
        print(f"{'page':<45} {'median':>8} {'p95':>8}  status")
        for username, paths in pages.items():
            with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
                if username:
                    _sign_in(client, username)
                for path in paths:
                    median, p95, status = _time(client, path, args.rounds)
                    label = f"{path} ({username or 'public'})"
                    print(f"{label:<45} {median:>8.1f} {p95:>8.1f}  {status}")
    finally:
        server.terminate()
        server.wait(timeout=10)


async def _count(url: str) -> int:
    engine = db_engine.create_engine(url)
    db_engine.bind(engine)
    await db_engine.start(engine)
    try:
        count: int = await Report.count()
        return count
    finally:
        await db_engine.stop(engine)


if __name__ == "__main__":
    main()
