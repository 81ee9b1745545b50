"""What tests running side by side (pytest-xdist workers, each a process) must not share on
this machine: a free TCP port on the loopback, and a Redis database of their own."""

from __future__ import annotations

import os
import socket

REDIS = "redis://127.0.0.1:6379"
# Redis has databases 0 to 15; 0 is left to whoever else uses this Redis (a developer's app).
REDIS_DATABASES = 16


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def redis_url() -> str:
    """A Redis database for this test process alone: 1 when pytest runs alone, 1 + N for
    xdist worker gwN. Tests that count or forget keys (rate limits, sessions) then never meet
    another worker's keys."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    database = 1 + int(worker.removeprefix("gw"))
    if database >= REDIS_DATABASES:
        raise RuntimeError(
            f"xdist worker {worker} has no Redis database of its own: run at most "
            f"{REDIS_DATABASES - 1} workers (-n)"
        )
    return f"{REDIS}/{database}"
