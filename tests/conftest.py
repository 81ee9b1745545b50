"""Every test that touches data runs on both engines: a fresh SQLite file and a fresh
PostgreSQL database, each copied from a template migrated once per session, with the
routing model trained from the shipped corpus."""

from __future__ import annotations

import asyncio
import os
import queue
import shutil
import threading
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


async def _migrate(url: str, *, model: dict | None = None) -> dict:
    """Migrate, and give the database a current routing model: trained from the corpus the
    first time, copied after that (training once per session keeps the suite quick)."""
    engine = db_engine.create_engine(url)
    db_engine.bind(engine)
    await db_engine.start(engine)
    try:
        await migrate()
        if model is None:
            await ensure_router()
            model = await ModelVersion.select().first()
        else:
            await ModelVersion.insert(ModelVersion(**{k: v for k, v in model.items() if k != "id"}))
        return model
    finally:
        await db_engine.stop(engine)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One migrated, seeded database per engine, copied for each test."""
    sqlite_path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    pg_name = f"ingatkan_tpl_{uuid.uuid4().hex[:10]}"

    async def build() -> None:
        model = await _migrate(f"sqlite:///{sqlite_path}")
        await _admin(f'CREATE DATABASE "{pg_name}"')
        await _migrate(_pg_url(pg_name), model=model)

    asyncio.run(build())
    yield {"sqlite": str(sqlite_path), "postgresql": pg_name}
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


class Dropper:
    """Drops the tests' PostgreSQL databases in a thread of its own: DROP DATABASE waits for a
    checkpoint, which takes seconds while the other workers write, and the next test need not
    wait for it. `close` returns when every database handed over is dropped."""

    def __init__(self) -> None:
        self._names: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._failures: list[str] = []
        # A daemon: a run stopped short (Ctrl-C) leaves databases behind rather than hanging.
        self._thread = threading.Thread(target=asyncio.run, args=(self._drop_each(),), daemon=True)
        self._thread.start()

    async def _drop_each(self) -> None:
        while (name := await asyncio.to_thread(self._names.get)) is not None:
            try:
                await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as error:  # told at the end; the others are still dropped
                self._failures.append(f"{name}: {error!r}")

    def drop(self, name: str) -> None:
        self._names.put(name)

    def close(self) -> None:
        self._names.put(None)
        self._thread.join()
        assert not self._failures, f"test databases left behind: {self._failures}"


@pytest.fixture(scope="session")
def dropper() -> Iterator[Dropper]:
    dropping = Dropper()
    yield dropping
    dropping.close()


@asynccontextmanager
async def fresh_database(
    kind: str, templates: dict[str, str], tmp_path: Path, dropper: Dropper
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
        dropper.drop(name)


@pytest.fixture(params=ENGINES)
async def database_url(
    request: pytest.FixtureRequest, templates: dict[str, str], tmp_path: Path, dropper: Dropper
) -> AsyncIterator[str]:
    """The URL of a fresh database of this test's engine, dropped afterwards."""
    async with fresh_database(request.param, templates, tmp_path, dropper) as url:
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
async def pg_db(templates: dict[str, str], tmp_path: Path, dropper: Dropper) -> AsyncIterator[str]:
    """Like `db`, on PostgreSQL only: for what only PostgreSQL is asked to do (many
    processes at once, production scale)."""
    async with fresh_database("postgresql", templates, tmp_path, dropper) as url, bound(url):
        yield url
