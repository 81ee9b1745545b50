"""POST /api/v1/reports on ingatkan against a bare Litestar + asyncpg insert endpoint.

Both run as one uvicorn process on PostgreSQL, started by this script, and take the same
load from the same client; the figure that matters is the ratio, measured in one run.

    .venv/bin/python -m bench.intake [--requests 3000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("INGATKAN_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEXTS = [
    "Lampu PJU di Jl. Soekarno Hatta depan Polinema mati sejak tiga hari",
    "Sampah di TPS Tlogomas belum diangkut seminggu, baunya sampai ke rumah warga",
    "min tlg jalan di Sawojajar berlubang besar, sdh ada yg jatuh dr motor",
    "The traffic light at the Jl. Veteran – Jl. MT Haryono junction has been stuck on red",
]


def _database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.post(f"{base}/api/v1/reports", json={"text": TEXTS[0]}, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{command} did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


async def load(base: str, *, requests: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    counter = iter(range(requests))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def worker() -> None:
            for i in counter:
                started = time.perf_counter()
                response = await client.post("/api/v1/reports", json={"text": TEXTS[i % 4]})
                latencies.append(time.perf_counter() - started)
                if response.status_code != 201:
                    raise RuntimeError(f"{response.status_code}: {response.text}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return requests / elapsed, latencies


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    names = {kind: f"ingatkan_bench_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("ours", "bare")}
    for name in names.values():
        await _admin(f'CREATE DATABASE "{name}"')
    bin_dir = Path(sys.executable).parent
    results = {}
    try:
        port = free_port()
        ours = server(
            [str(bin_dir / "ingatkan"), "serve", "--port", str(port)],
            {"INGATKAN_DATABASE_URL": _database_url(names["ours"]), "INGATKAN_RATE_LIMIT": "off"},
            port,
        )
        with ours as base:
            print(
                f"ingatkan: {args.requests} requests, concurrency {args.concurrency} …",
                file=sys.stderr,
            )
            results["ingatkan"] = await load(
                base, requests=args.requests, concurrency=args.concurrency
            )
        port = free_port()
        bare = server(
            [
                str(bin_dir / "uvicorn"),
                "bench.bare_intake:app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            {"BARE_DATABASE_URL": _database_url(names["bare"])},
            port,
        )
        with bare as base:
            print(
                f"bare: {args.requests} requests, concurrency {args.concurrency} …", file=sys.stderr
            )
            results["bare Litestar+asyncpg"] = await load(
                base, requests=args.requests, concurrency=args.concurrency
            )
    finally:
        for name in names.values():
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{'server':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, (rate, latencies) in results.items():
        print(f"{label:<24}{rate:>10.0f}{_quantile(latencies, 0.5) * 1000:>10.1f}"
              f"{_quantile(latencies, 0.99) * 1000:>10.1f}")  # fmt: skip
    ours_rate = results["ingatkan"][0]
    bare_rate = results["bare Litestar+asyncpg"][0]
    print(f"throughput ratio ingatkan/bare: {ours_rate / bare_rate:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
