"""The reference for bench/intake.py: the least a JSON intake endpoint can do on Litestar and
asyncpg — decode, one INSERT, answer 201. Run by the benchmark, not part of the product."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import msgspec
from litestar import Litestar, post

DSN = os.environ["BARE_DATABASE_URL"]


class ReportIn(msgspec.Struct):
    text: str


@asynccontextmanager
async def pool(app: Litestar) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(DSN, min_size=2, max_size=20)
    async with app.state.pool.acquire() as connection:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS bare_report (id serial PRIMARY KEY, code text UNIQUE, "
            "text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
    try:
        yield
    finally:
        await app.state.pool.close()


@post("/api/v1/reports", status_code=201)
async def submit(data: ReportIn) -> dict[str, str]:
    # Wide enough that the tens of thousands of a run never collide (a 500 would stop wrk's run).
    code = "MLG-" + secrets.token_hex(6).upper()
    async with app.state.pool.acquire() as connection:
        await connection.execute(
            "INSERT INTO bare_report (code, text) VALUES ($1, $2)", code, data.text
        )
    return {"tracking_code": code, "status": "triage"}


app = Litestar(route_handlers=[submit], lifespan=[pool])
