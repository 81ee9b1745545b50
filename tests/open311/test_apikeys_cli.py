"""API keys as an operator issues them: `ingatkan apikeys create | list | revoke`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.integrations.api_keys import authenticate_api_key

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

INGATKAN = str(Path(sys.executable).parent / "ingatkan")


def _run(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INGATKAN, "apikeys", *args],
        env={**os.environ, "INGATKAN_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_issue_list_and_revoke(db: str) -> None:
    created = _run("create", "--name", "Aplikasi SAMBAT", database_url=db)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("ik_") and len(key) > 40
    assert (await authenticate_api_key(key)).name == "Aplikasi SAMBAT"

    listed = _run("list", database_url=db)
    assert "Aplikasi SAMBAT" in listed.stdout and "active" in listed.stdout
    assert key not in listed.stdout and key[:10] in listed.stdout  # the prefix, never the key
    key_id = listed.stdout.split("\t")[0]

    assert _run("revoke", key_id, database_url=db).returncode == 0
    assert await authenticate_api_key(key) is None
    assert "revoked" in _run("list", database_url=db).stdout
    unknown = _run("revoke", "999", database_url=db)
    assert unknown.returncode != 0 and "No such API key" in unknown.stderr
    nameless = _run("create", "--name", " ", database_url=db)
    assert nameless.returncode != 0 and "name" in nameless.stderr
