"""A PostgreSQL database of a benchmark's own: created, migrated and bound to Piccolo, then
dropped however the benchmark ends."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from db import engine as db_engine
from db.migrate import migrate

ADMIN_URL = os.environ.get("INGATKAN_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def scratch_database(purpose: str) -> AsyncIterator[str]:
    """Yields the new database's URL while it is the bound engine."""
    name = f"ingatkan_bench_{purpose}_{uuid.uuid4().hex[:8]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    engine = db_engine.create_engine(url)
    db_engine.bind(engine)
    await db_engine.start(engine)
    try:
        await migrate()
        yield url
    finally:
        await db_engine.stop(engine)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
