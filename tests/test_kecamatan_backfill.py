"""Reports stored before `Report.kecamatan` existed get theirs when the database is migrated,
by the same rule as intake (point, else address, else text)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BEFORE = "2026-12-03T21:51:45:882711"  # the last migration without the column


def test_migrating_gives_existing_reports_their_kecamatan(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    env = {
        **os.environ,
        "INGATKAN_DATABASE_URL": f"sqlite:///{path}",
        "PICCOLO_CONF": "db.piccolo_conf",
    }
    piccolo = [str(BIN / "piccolo"), "migrations", "forwards", "db", BEFORE]
    subprocess.run(piccolo, cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(path) as old:
        for code, text, lat, lon, address in (
            ("MLG-AAAAAA", "Lampu jalan mati sejak kemarin", -8.014, 112.628, "Jl. Kawi"),
            ("MLG-BBBBBB", "Jalan rusak parah sekali", None, None, "Jl. MT Haryono, Dinoyo"),
            ("MLG-CCCCCC", "Got mampet di Blimbing", None, None, None),
            ("MLG-DDDDDD", "Sampah menumpuk di depan rumah", None, None, None),
        ):
            old.execute(
                "INSERT INTO report (tracking_code, text, status, channel, anonymous,"
                " confidential, urgent, latitude, longitude, address, needs_field_work,"
                " created_at, updated_at, reopen_count, reroute_count) VALUES"
                " (?, ?, 'open', 'api', 0, 0, 0, ?, ?, ?, 0, '2026-01-01T00:00:00+00:00',"
                " '2026-01-01T00:00:00+00:00', 0, 0)",
                (code, text, lat, lon, address),
            )
    migrate = [str(BIN / "ingatkan"), "migrate"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(path) as migrated:
        found = dict(migrated.execute("SELECT tracking_code, kecamatan FROM report"))
    assert found == {
        "MLG-AAAAAA": "Sukun",  # the point decides, whatever the address says
        "MLG-BBBBBB": "Lowokwaru",  # the kelurahan of the address
        "MLG-CCCCCC": "Blimbing",  # the text, without address
        "MLG-DDDDDD": None,
    }
