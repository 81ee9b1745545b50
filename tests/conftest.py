"""Every test that touches data runs on both engines: a fresh SQLite file and a fresh
PostgreSQL database, each copied from a template, with the routing model trained from the
shipped corpus. The SQLite template and its model are made once per run and shared by the
xdist workers; each worker migrates its own PostgreSQL template and copies the model in."""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from core.routing.registry import ensure_router
from db import engine as db_engine
from db.migrate import migrate
from db.tables import ModelVersion
from tests.helpers import RUN_SUMMARY

PG_ADMIN_URL = os.environ.get(
    "INGATKAN_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ENGINES = ("sqlite", "postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start processes or browsers (marked `slow`) first: xdist (`--dist load`)
    deals them out over the workers while the short ones fill in behind, so no worker is left
    with a long test at the end while the others idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its summary lines to the controller, which prints the summary."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["run_summary"] = RUN_SUMMARY


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    RUN_SUMMARY.update(getattr(node, "workeroutput", {}).get("run_summary", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for what, where in RUN_SUMMARY.items():
        terminalreporter.write_line(f"{what}: {where}")


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _migrate(url: str, *, model: dict | None = None) -> None:
    """Migrate, and give the database a current routing model: `model` (a row of another
    database), or else one trained from the corpus."""
    async with bound(url):
        await migrate()
        if model is None:
            await ensure_router()
        else:
            await ModelVersion.insert(ModelVersion(**{k: v for k, v in model.items() if k != "id"}))


async def _current_model(url: str) -> dict:
    async with bound(url):
        model = await ModelVersion.select().where(ModelVersion.current == True).first()  # noqa: E712
    assert model is not None
    return model


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of the whole run: an xdist worker's own is one below it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated SQLite database with the model trained from the corpus, made once per run:
    the first worker to come migrates it and trains the model while the others wait on the
    lock, then every worker copies this file (training is the longest step of a worker's
    start, and its model is the same for all)."""
    path = run_directory(tmp_path_factory) / "template.sqlite3"
    with (path.parent / "template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = path.with_suffix(".building")
            asyncio.run(_migrate(f"sqlite:///{building}"))
            building.rename(path)  # complete or absent, also for a worker that failed midway
    return path


@pytest.fixture(scope="session")
def templates(sqlite_template: Path) -> Iterator[dict[str, str]]:
    """One migrated, seeded database per engine, copied for each test."""
    pg_name = f"ingatkan_tpl_{uuid.uuid4().hex[:10]}"

    async def build() -> None:
        model = await _current_model(f"sqlite:///{sqlite_template}")
        await _admin(f'CREATE DATABASE "{pg_name}"')
        await _migrate(_pg_url(pg_name), model=model)

    asyncio.run(build())
    yield {"sqlite": str(sqlite_template), "postgresql": pg_name}
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


@asynccontextmanager
async def fresh_database(
    kind: str, templates: dict[str, str], tmp_path: Path
) -> AsyncIterator[str]:
    if kind == "sqlite":
        path = tmp_path / "ingatkan.sqlite3"
        shutil.copy(templates["sqlite"], path)
        yield f"sqlite:///{path}"
        return
    name = f"ingatkan_test_{uuid.uuid4().hex[:12]}"
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{templates["postgresql"]}"')
    try:
        yield _pg_url(name)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=ENGINES)
async def database_url(
    request: pytest.FixtureRequest, templates: dict[str, str], tmp_path: Path
) -> AsyncIterator[str]:
    """The URL of a fresh database of this test's engine, dropped afterwards."""
    async with fresh_database(request.param, templates, tmp_path) as url:
        yield url


@asynccontextmanager
async def bound(database_url: str) -> AsyncIterator[str]:
    engine = db_engine.create_engine(database_url)
    db_engine.bind(engine)
    await db_engine.start(engine)
    try:
        yield database_url
    finally:
        await db_engine.stop(engine)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """The tables bound to this test's database, on each engine; yields its URL."""
    async with bound(database_url) as url:
        yield url


@pytest.fixture
async def pg_db(templates: dict[str, str], tmp_path: Path) -> AsyncIterator[str]:
    """Like `db`, on PostgreSQL only: for what only PostgreSQL is asked to do (many
    processes at once, production scale)."""
    async with fresh_database("postgresql", templates, tmp_path) as url, bound(url):
        yield url
