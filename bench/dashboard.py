"""Response times of the leadership dashboard, drill-down, evaluation, transparency and
officer queue pages on a PostgreSQL database of a million reports.

Creates the database (or reuses one already seeded), seeds it with `ingatkan seed`, lets
PostgreSQL gather statistics as autovacuum would, builds the metrics with `ingatkan metrics
refresh`, starts the real app in one uvicorn process (rate limit off), signs in as leadership,
an officer and a head, and times each page over HTTP. The reference in the same run is
/health (one trivial query through the whole stack); `SELECT count(*) FROM report` is shown
for scale. "after a change" rows change one report before each request, so the page's
refresh of the figures has work to do.

    .venv/bin/python -m bench.dashboard [--reports 1000000] [--days 365] [--rounds 30]
        [--database ingatkan_bench_dashboard] [--keep]

Without --keep a database this script created is dropped at the end; one that already held
the reports is reused and kept.
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
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import asyncpg
import httpx

from core.figures.models import Period
from core.staff.actors import Actor, ActorKind, Role
from db import engine as db_engine
from db.tables import Report, User
from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
# The command of the environment running this benchmark, whatever that environment is called.
INGATKAN = Path(sys.executable).parent / "ingatkan"
ADMIN_URL = os.environ.get("INGATKAN_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-123"  # noqa: S105 - accounts made by this benchmark only
DEPARTMENT = "DLH"  # the busiest department of the synthetic history
LIMIT_MS = 300
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
ADMIN = Actor(kind=ActorKind.OFFICER, role=Role.ADMIN)


def database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _ingatkan(url: str, *arguments: str) -> None:
    subprocess.run(
        [str(INGATKAN), *arguments],
        cwd=ROOT,
        env={**os.environ, "INGATKAN_DATABASE_URL": url},
        check=True,
    )


async def sql(url: str, *statements: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        rows: list[asyncpg.Record] = []
        for statement in statements:
            rows = await connection.fetch(statement)
        return rows
    finally:
        await connection.close()


async def seeded_database(name: str, *, reports: int, days: int) -> bool:
    """Seeded and measured; True when this run created the database."""
    exists = await sql(ADMIN_URL, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    url = database_url(name)
    count = (await sql(url, "SELECT count(*) FROM report"))[0][0] if exists else 0
    created = False
    if count < reports:
        if not exists:
            await sql(ADMIN_URL, f'CREATE DATABASE "{name}"')
            created = True
        print(f"seeding {reports - count:,} reports over {days} days …", flush=True)
        _ingatkan(url, "seed", "--reports", str(reports - count), "--days", str(days))
    await sql(url, "ANALYZE")  # what autovacuum does after a bulk load
    started = time.perf_counter()
    _ingatkan(url, "metrics", "refresh")
    print(f"metrics built in {time.perf_counter() - started:.0f}s", flush=True)
    await sql(url, "VACUUM ANALYZE report_metric", "VACUUM ANALYZE department_day")
    return created


async def _staff() -> None:
    from core.staff.users import create_user

    for username, role, department in (
        ("bench.leadership", "leadership", None),
        ("bench.officer", "officer", DEPARTMENT),
        ("bench.head", "head", DEPARTMENT),
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


async def _sign_in(client: httpx.AsyncClient, username: str) -> None:
    token = _TOKEN.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf_token": token}
    )
    response.raise_for_status()


async def _change_one() -> None:
    """Acknowledge (or resolve) one report of the department, as an officer would."""
    from core.reports import lifecycle

    row = (
        await Report.select(Report.tracking_code, Report.status)
        .where(Report.department.code == DEPARTMENT)
        .where(Report.status.is_in(["open", "in_progress"]))
        .first()
    )
    assert row, f"the seeded history has an open or in-progress report of {DEPARTMENT}"
    if row["status"] == "open":
        await lifecycle.acknowledge(tracking_code=row["tracking_code"], actor=ADMIN)
    else:
        await lifecycle.resolve(tracking_code=row["tracking_code"], answer="Selesai", actor=ADMIN)


async def _time(
    client: httpx.AsyncClient,
    path: str,
    rounds: int,
    before: Callable[[], Awaitable[None]] | None = None,
) -> tuple[float, float, int]:
    await client.get(path)  # warm caches and prepared statements
    timings = []
    status = 0
    for _ in range(rounds):
        if before:
            await before()
        started = time.perf_counter()
        response = await client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    timings.sort()
    return statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)], status


async def _count_ms(url: str, rounds: int) -> float:
    connection = await asyncpg.connect(url)
    try:
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            await connection.fetchval("SELECT count(*) FROM report")
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)
    finally:
        await connection.close()


async def _measure(base: str, rounds: int) -> list[tuple[str, float, float, int]]:
    half = Period.half_year_of(date.today())
    previous = half.previous_half()
    pages: dict[str, list[tuple[str, Callable[[], Awaitable[None]] | None]]] = {
        "": [("/health", None), ("/transparansi", None), ("/transparansi?period=365d", None)],
        "bench.leadership": [
            ("/leadership", None),
            ("/leadership?period=365d", None),
            (f"/leadership?period={half.key}", None),
            (f"/leadership/department/{DEPARTMENT}", None),
            (f"/leadership/department/{DEPARTMENT}?period=365d", None),
            ("/leadership/evaluation", None),
            (f"/leadership/evaluation?period={previous.key}", None),
            (f"/leadership/evaluation.csv?period={previous.key}", None),
            ("/leadership", _change_one),
            ("/leadership?period=365d", _change_one),
        ],
        "bench.head": [(f"/leadership/department/{DEPARTMENT}", None)],
        "bench.officer": [("/officer", None), ("/officer?overdue=1", None)],
    }
    results = []
    for username, paths in pages.items():
        async with httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60) as client:
            if username:
                await _sign_in(client, username)
            for path, before in paths:
                median, p95, status = await _time(client, path, rounds, before)
                label = f"{path} ({username or 'public'}{', after a change' if before else ''})"
                results.append((label, median, p95, status))
    return results


def _report(results: list[tuple[str, float, float, int]], count_ms: float, reports: int) -> None:
    reference = next(median for label, median, _, _ in results if label.startswith("/health"))
    print(f"\n{reports:,} reports on PostgreSQL; milliseconds per request")
    print(f"reference: /health median {reference:.1f} ms; ", end="")
    print(f"SELECT count(*) FROM report {count_ms:.1f} ms")
    print(f"{'page':<70} {'median':>7} {'p95':>7} {'×health':>8}  status  <{LIMIT_MS} ms")
    for label, median, p95, status in results:
        verdict = "yes" if p95 < LIMIT_MS else "NO"
        ratio = median / reference
        print(f"{label:<70} {median:>7.1f} {p95:>7.1f} {ratio:>8.1f}  {status:>6}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database", default="ingatkan_bench_dashboard")
    parser.add_argument("--keep", action="store_true", help="keep a database this run created")
    args = parser.parse_args()
    url = database_url(args.database)
    created = asyncio.run(seeded_database(args.database, reports=args.reports, days=args.days))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "INGATKAN_DATABASE_URL": url, "INGATKAN_RATE_LIMIT": "off"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    async def run() -> None:
        engine = db_engine.create_engine(url)
        db_engine.bind(engine)
        await db_engine.start(engine)
        try:
            await _staff()
            async with httpx.AsyncClient(base_url=base) as probe:
                for _ in range(150):
                    try:
                        if (await probe.get("/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await asyncio.sleep(0.2)
            results = await _measure(base, args.rounds)
            _report(results, await _count_ms(url, args.rounds), await Report.count())
        finally:
            await db_engine.stop(engine)

    try:
        asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=10)
        if created and not args.keep:
            asyncio.run(sql(ADMIN_URL, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
