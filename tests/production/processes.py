"""The product's roles as real processes on this machine, for the production proofs: API
replicas (`ingatkan serve --without-scheduler`) and schedulers, sharing PostgreSQL and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import redis

from tests.ports import free_port, redis_url

INGATKAN = str(Path(sys.executable).parent / "ingatkan")
# A Redis database of this worker's own, so these tests never touch keys other tests count on.
REDIS_URL = redis_url()


def forget_redis_keys() -> None:
    """Drop the sessions and rate-limit counters the replicas kept in Redis."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match="ingatkan*"):
            client.delete(key)
    finally:
        client.close()


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "INGATKAN_DATABASE_URL": database_url,
        "INGATKAN_REDIS_URL": REDIS_URL,
        "INGATKAN_SECRET_KEY": "production-proofs-secret",
        **extra,
    }


class ApiReplica:
    """One `ingatkan serve` process on a port of its own, restartable on the same port."""

    def __init__(self, database_url: str, log_dir: Path, **environment: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._env = _environment(database_url, **environment)
        self._log = log_dir / f"api-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 180) -> None:
        """Start it and wait for /health; `timeout` guards a hung start (it is not a measure:
        with the suite's workers and other load on the machine a start can take a minute)."""
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                [INGATKAN, "serve", "--without-scheduler", "--port", str(self.port)],
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"replica did not come up:\n{self._log.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, requests in flight are cut off."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()


def start_scheduler(database_url: str, log_dir: Path, name: str) -> subprocess.Popen:
    with (log_dir / f"scheduler-{name}.log").open("ab") as log:
        return subprocess.Popen(
            [INGATKAN, "scheduler"],
            env=_environment(database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_scheduler(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        raise
