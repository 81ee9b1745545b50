"""The per-client rate limit behind the proxy, on a real `ingatkan serve`: X-Forwarded-For
names the client only when the proxy the API trusts (FORWARDED_ALLOW_IPS) sent it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.test_cli import serving
from tests.test_compose import COMPOSE

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

COMPOSE_TRUSTS = COMPOSE["services"]["api"]["environment"]["FORWARDED_ALLOW_IPS"]


def _statuses(base: str, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=base) as client:
        return [
            client.get("/api/v1/departments", headers={"x-forwarded-for": value}).status_code
            for value in forwarded_for
        ]


def test_a_client_rotating_x_forwarded_for_is_still_one_client(
    database_url: str, tmp_path: Path
) -> None:
    """The API as compose.yaml configures it, reached from an address that is not nginx's:
    eight requests, each claiming another address, are one client's; the sixth is refused."""
    rotating = [f"203.0.113.{n}" for n in range(1, 9)]
    with serving(
        database_url, tmp_path, FORWARDED_ALLOW_IPS=COMPOSE_TRUSTS, INGATKAN_RATE_LIMIT="5/minute"
    ) as base:
        assert _statuses(base, rotating) == [200] * 5 + [429] * 3


def test_the_trusted_proxy_gives_each_citizen_their_own_limit(
    database_url: str, tmp_path: Path
) -> None:
    """Here the test plays the trusted proxy: each forwarded address has its own limit."""
    rotating = [f"203.0.113.{n}" for n in range(1, 9)]
    with serving(
        database_url, tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1", INGATKAN_RATE_LIMIT="5/minute"
    ) as base:
        assert _statuses(base, rotating) == [200] * 8
        assert _statuses(base, ["198.51.100.7"] * 6) == [200] * 5 + [429]
