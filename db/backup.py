"""Backups: pg_dump / pg_restore on PostgreSQL, SQLite's online backup API on SQLite.

Both take a consistent copy while the product keeps running. A restore goes into the
configured database: an empty one on PostgreSQL (pg_restore --clean replaces what is there),
and on SQLite the file is replaced page by page through the same backup API.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from config.settings import Settings


class BackupError(RuntimeError):
    pass


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return tool


def backup(*, settings: Settings, target: Path) -> None:
    if settings.is_sqlite:
        source_path = _sqlite_path(settings)
        if not source_path.exists():
            raise BackupError(f"no database at {source_path}")
        with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from our own settings
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
         f"--dbname={settings.database_url}"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(result.stderr.strip())


def restore(*, settings: Settings, source: Path) -> None:
    if not source.exists():
        raise BackupError(f"no backup at {source}")
    if settings.is_sqlite:
        target_path = _sqlite_path(settings)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as backup_file, sqlite3.connect(target_path) as live:
            backup_file.backup(live)
        return
    result = subprocess.run(  # noqa: S603
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
         f"--dbname={settings.database_url}", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(result.stderr.strip())
