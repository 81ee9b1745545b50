"""Engine selection from INGATKAN_DATABASE_URL, and the one way to open a write transaction."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from piccolo.apps.migrations.tables import Migration
from piccolo.columns import JSON
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.query import Select
from piccolo.table import Table
from piccolo.utils.encoding import dump_json

# SQLite serialises writers; a waiting writer retries for this long before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def create_engine(url: str) -> Engine[Any]:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return SQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    return PostgresEngine(config={"dsn": url}, log_queries=False)


def current_engine() -> Engine[Any]:
    from db.tables import Report

    return Report._meta.db


def is_sqlite(engine: Engine[Any] | None = None) -> bool:
    return isinstance(engine or current_engine(), SQLiteEngine)


def bind(engine: Engine[Any]) -> None:
    """Point every table, and Piccolo's migration runner, at `engine`."""
    from db import piccolo_conf
    from db.tables import TABLES

    piccolo_conf.DB = engine
    tables: tuple[type[Table], ...] = (*TABLES, Migration)
    for table in tables:
        table._meta.db = engine
    sys.modules["db.piccolo_conf"] = piccolo_conf


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """A transaction for changes: IMMEDIATE on SQLite, so concurrent writers queue up front
    instead of failing on lock upgrade halfway through."""
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


async def start(engine: Engine[Any]) -> None:
    if isinstance(engine, SQLiteEngine):
        Path(engine.path).parent.mkdir(parents=True, exist_ok=True)
    elif isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20, reset=_nothing_to_reset)


async def _nothing_to_reset(connection: Any) -> None:
    """What a pooled connection needs before its next user: nothing beyond asyncpg's own rollback
    of a transaction left open. The product keeps no session state on pooled connections (no
    SET, LISTEN, cursor or advisory lock; the migration lock has its own connection), so the
    default reset statement was one more round trip after every query outside a transaction,
    a seventh of the time of the lightest request (/health)."""


async def stop(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


async def analyze(*tables: type[Table]) -> None:
    """Fresh planner statistics for `tables` after a bulk write, on PostgreSQL: autovacuum
    gathers them only later, or never where it is turned off, and until then the planner
    guesses (after a seed it read every routing event for each batch of the figures' refresh:
    0.5 s a batch at 1,000,000 reports, instead of milliseconds)."""
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        names = ", ".join(table._meta.tablename for table in tables)
        await engine.run_ddl(f"ANALYZE {names}")


_COPY_FROM_ROWS = 100


async def insert_rows(
    table: type[Table], rows: Sequence[Mapping[str, Any]], *, skip_conflicts: bool = False
) -> None:
    """Many rows into `table`, inside the current write transaction, straight through the
    driver: Piccolo builds an object per row, which costs more than the database does for
    the thousands of rows a sweep, a rollup or a seed writes. Each row maps column names to
    plain values (datetimes, numbers, strings; Python values for JSON columns), every row
    the same columns. `skip_conflicts` leaves out rows a unique index already holds."""
    if not rows:
        return
    engine = current_engine()
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("insert_rows must run inside write_transaction()")
    name = table._meta.tablename
    columns = list(rows[0])
    json_columns = {
        column._meta.db_column_name for column in table._meta.columns if isinstance(column, JSON)
    }
    records = [
        tuple(dump_json(row[c]) if c in json_columns else row[c] for c in columns) for row in rows
    ]
    names = ", ".join(columns)
    conflicts = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    connection = transaction.connection
    if isinstance(engine, SQLiteEngine):
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {name} ({names}) VALUES ({placeholders}){conflicts}"  # noqa: S608
        await connection.executemany(sql, records)
        return
    # COPY is PostgreSQL's fastest way in for many rows, but knows no ON CONFLICT, and for the
    # few rows of one report's change its own round trips cost more than the statement below.
    if not skip_conflicts and len(records) >= _COPY_FROM_ROWS:
        await connection.copy_records_to_table(name, records=records, columns=columns)
        return
    # One statement over one array per column instead of one execution per row: for the
    # 20,000 events and messages of a sweep, 13-15 % less time (bench.escalation).
    types = await _column_types(connection, name)
    arrays = ", ".join(f"${n}::{types[column]}[]" for n, column in enumerate(columns, 1))
    sql = f"INSERT INTO {name} ({names}) SELECT * FROM unnest({arrays}){conflicts}"  # noqa: S608
    await connection.execute(sql, *(list(values) for values in zip(*records, strict=True)))


_column_types_cache: dict[str, dict[str, str]] = {}


async def _column_types(connection: Any, table: str) -> dict[str, str]:
    """PostgreSQL's type of each column of `table`, as SQL (e.g. `character varying(120)`)."""
    if table not in _column_types_cache:
        rows = await connection.fetch(
            "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute "
            "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
            table,
        )
        _column_types_cache[table] = {row["attname"]: row["type"] for row in rows}
    return _column_types_cache[table]


async def driver_rows(query: Select[Any]) -> Sequence[Sequence[Any]]:
    """The rows of `query`, each a sequence of its columns' values in the query's order:
    Piccolo's own results turn every row into a new dict, which for the few hundred ids and
    change times the case check reads on every submission cost more than the read itself.
    PostgreSQL's rows come as the driver gives them; SQLite's, which Piccolo reads as dicts,
    as tuples."""
    (querystring,) = query.querystrings
    engine = current_engine()
    rows = await engine.run_querystring(querystring)
    if isinstance(engine, SQLiteEngine):
        return [tuple(row.values()) for row in rows]
    return list(rows)
