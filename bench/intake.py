"""POST /api/v1/reports on ingatkan against a bare Litestar + asyncpg insert endpoint.

The load comes from wrk (`/usr/bin/wrk`, the Debian package, with bench/intake_post.lua for
the bodies): a Python client tops out near 300 requests a second on this machine, below what
the bare endpoint serves, and would hide the real ratio. The servers run on PostgreSQL, started
by this script: the bare endpoint (bench/bare_intake.py) and `ingatkan serve` with one worker,
wrk against each in turn round after round, so a load from elsewhere on the machine falls on
both alike; then one worker and two (`--workers 2`) the same way. Both ingatkan servers run
without the in-process scheduler (as with several workers) on one database, like replicas.
The figures that matter are the ratios, from the sums over the rounds, and beside each rate
the processor time a request took in the server's processes and in PostgreSQL's backends of
its database: on 2 cores shared by the server, PostgreSQL and wrk, the rate of the lighter
server is bound by what the others take.

    .venv/bin/python -m bench.intake [--rounds 3] [--seconds 10] [--connections 32]

Goals (issue 18): ingatkan/bare at least 0.35; two workers at least 1.6 times one; p99 under
150 ms at 32 connections.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("INGATKAN_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SCRIPT = ROOT / "bench" / "intake_post.lua"
LOGS = Path(tempfile.gettempdir())
GOAL_RATIO = 0.35
GOAL_WORKERS = 1.6
GOAL_P99_MS = 150.0
_RESULT = re.compile(
    r"RESULT requests=(\d+) errors=(\d+) non2xx=(\d+) p50_us=(\d+) p99_us=(\d+) duration_us=(\d+)"
)


def _database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@dataclass
class Served:
    """A server under test: its URL, its process (with any workers it forks) and its database."""

    base: str
    pid: int
    database: str

    def cpu_seconds(self) -> tuple[float, float]:
        """Processor seconds used so far by the server's processes and by the PostgreSQL
        backends connected to its database."""
        server = _cpu([self.pid, *_children(self.pid)])
        backends = subprocess.run(
            ["psql", ADMIN_URL, "-Atc",
             f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}'"],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        return server, _cpu([int(pid) for pid in backends])


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in found.split()]


def _cpu(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a backend that closed meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(
    command: list[str], env: dict[str, str], port: int, log: Path, database: str
) -> Iterator[Served]:
    """A server on `port`, its output in `log` (named in any failure)."""
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                   stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        # The first start trains the routing model: minutes on a busy machine.
        for _ in range(6000):
            if process.poll() is not None:
                raise RuntimeError(f"{command} exited with {process.returncode}; see {log}")
            try:
                response = httpx.post(
                    f"{base}/api/v1/reports",
                    json={"text": "Lampu jalan di depan rumah saya mati"},
                    timeout=5,
                )
                if response.status_code == 201 and _routing_ready(base):
                    break
                if response.status_code >= 500:
                    raise RuntimeError(f"{command} answered {response.status_code}; see {log}")
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"{command} did not start; see {log}")
        yield Served(base=base, pid=process.pid, database=database)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _routing_ready(base: str) -> bool:
    """The bare endpoint has no /health; ingatkan on a fresh database answers at once and sends
    reports to triage until its first model is trained, which is not the load to measure."""
    health = httpx.get(f"{base}/health", timeout=5)
    return health.status_code == 404 or health.json().get("routing") == "ready"


@dataclass
class Tally:
    """One server's runs: requests and seconds summed, and each run's p99."""

    requests: int = 0
    seconds: float = 0.0
    p99_ms: list[float] = field(default_factory=list)
    server_cpu: float = 0.0
    database_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def cpu_ms(self) -> tuple[float, float]:
        """Processor milliseconds per request: the server's, PostgreSQL's."""
        per = 1000 / self.requests if self.requests else 0.0
        return self.server_cpu * per, self.database_cpu * per


def wrk(base: str, *, seconds: int, connections: int) -> tuple[int, float, float]:
    """One wrk run: requests, seconds, p99 in ms. Any error or non-201 answer fails the bench."""
    output = subprocess.run(
        [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(SCRIPT),
         base],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = _RESULT.search(output)
    if found is None:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    requests, errors, non2xx, _p50, p99, duration = map(int, found.groups())
    if errors or non2xx:
        raise RuntimeError(f"{base}: {errors} socket errors, {non2xx} answers not 2xx; see the "
                           f"server's log in {LOGS}")  # fmt: skip
    return requests, duration / 1e6, p99 / 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    names = {kind: f"ingatkan_bench_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("ours", "bare")}
    for name in names.values():
        await _admin(f'CREATE DATABASE "{name}"')
    bin_dir = Path(sys.executable).parent
    ours_env = {"INGATKAN_DATABASE_URL": _database_url(names["ours"]), "INGATKAN_RATE_LIMIT": "off"}
    bare_server = [str(bin_dir / "uvicorn"), "bench.bare_intake:app", "--log-level", "warning"]

    def ours(workers: int) -> tuple[list[str], dict[str, str], Path]:
        command = [str(bin_dir / "ingatkan"), "serve", "--workers", str(workers),
                   "--without-scheduler"]  # fmt: skip
        return command, ours_env, LOGS / f"ingatkan_bench_intake_workers{workers}.log"

    def started(
        command: list[str], env: dict[str, str], log: Path, database: str
    ) -> AbstractContextManager[Served]:
        port = free_port()
        print(f"starting {log.stem} …", file=sys.stderr)
        return server([*command, "--port", str(port)], env, port, log, database)

    try:
        # Two pairs, each alternated, so that no more than two servers' connection pools
        # (20 connections a process) hold PostgreSQL's connections at once.
        with started(*ours(1), names["ours"]) as one:
            bare_env = {"BARE_DATABASE_URL": _database_url(names["bare"])}
            bare_log = LOGS / "ingatkan_bench_intake_bare.log"
            with started(bare_server, bare_env, bare_log, names["bare"]) as bare:
                against_bare = alternate({"bare": bare, "ingatkan": one}, args)
            with started(*ours(2), names["ours"]) as two:
                against_two = alternate({"ingatkan": one, "ingatkan --workers 2": two}, args)
    finally:
        for name in names.values():
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"wrk -c{args.connections}, {args.rounds} rounds of {args.seconds} s each, alternating; "
          f"{os.cpu_count()} cores, load average {load}")  # fmt: skip
    print(
        f"{'server':<40}{'req/s':>10}{'worst p99 ms':>14}{'CPU ms/req: server':>20}{'database':>10}"
    )
    rows = [*against_bare.items(), *(("beside 2 workers: " + k, v) for k, v in against_two.items())]
    for label, tally in rows:
        server_ms, database_ms = tally.cpu_ms()
        print(f"{label:<40}{tally.rate:>10.0f}{max(tally.p99_ms):>14.1f}{server_ms:>20.2f}"
              f"{database_ms:>10.2f}")  # fmt: skip
    ratio = against_bare["ingatkan"].rate / against_bare["bare"].rate
    scaling = against_two["ingatkan --workers 2"].rate / against_two["ingatkan"].rate
    print(f"ingatkan/bare:            {ratio:.2f}   (goal ≥ {GOAL_RATIO})")
    print(f"workers 2 / workers 1:    {scaling:.2f}   (goal ≥ {GOAL_WORKERS})")
    print(f"p99 of one worker:        {max(against_bare['ingatkan'].p99_ms):.1f} ms "
          f"(goal < {GOAL_P99_MS:.0f} ms)")  # fmt: skip


def alternate(servers: dict[str, Served], args: argparse.Namespace) -> dict[str, Tally]:
    """wrk against each server in turn, round after round, with the processor time the server
    and its database used meanwhile (what a shared machine blurs less than a rate)."""
    for served in servers.values():  # warm up: pools filled, caches loaded
        wrk(served.base, seconds=2, connections=args.connections)
    tallies = {label: Tally() for label in servers}
    for round_number in range(1, args.rounds + 1):
        for label, served in servers.items():
            server_before, database_before = served.cpu_seconds()
            requests, seconds, p99 = wrk(
                served.base, seconds=args.seconds, connections=args.connections
            )
            server_after, database_after = served.cpu_seconds()
            tally = tallies[label]
            tally.requests += requests
            tally.seconds += seconds
            tally.p99_ms.append(p99)
            tally.server_cpu += server_after - server_before
            tally.database_cpu += database_after - database_before
            print(f"round {round_number} {label}: {requests / seconds:.0f} req/s, "
                  f"p99 {p99:.1f} ms", file=sys.stderr)  # fmt: skip
    return tallies


if __name__ == "__main__":
    asyncio.run(main())
