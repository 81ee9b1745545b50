"""report_tally.overdue filled from the derived reports (report_metric), under the tally's
keys as core.figures.rollup counts them, so the figures need no new derivation: from here on
each refresh keeps it.

SQL that SQLite and PostgreSQL both accept.
"""

from collections import Counter

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T16:39:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "report_tally: overdue reports counted from report_metric"

# core.figures.metrics.CONFIDENCE_BUCKETS when this migration was written.
BOUNDS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


def _bucket(confidence):
    if confidence is None:
        return None
    return next((n for n, bound in enumerate(BOUNDS) if confidence <= bound), len(BOUNDS) - 1)


def _same(column, value):
    if value is None:
        return f"{column} IS NULL"
    if isinstance(value, int):
        return f"{column} = {value}"
    if not value.replace("_", "").isalnum():  # statuses and channels are plain words
        raise ValueError(f"unexpected {column} {value!r}")
    return f"{column} = '{value}'"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def count_overdue():
        engine = engine_finder()
        rows = await engine.run_ddl(
            "SELECT department, status, channel, confidence FROM report_metric "
            "WHERE overdue AND status IS NOT NULL AND channel IS NOT NULL"
        )
        overdue = Counter(
            (row["department"], row["status"], row["channel"], _bucket(row["confidence"]))
            for row in rows
        )
        for (department, status, channel, bucket), n in overdue.items():
            where = " AND ".join(
                _same(column, value)
                for column, value in (
                    ("department", department),
                    ("status", status),
                    ("channel", channel),
                    ("confidence_bucket", bucket),
                )
            )
            await engine.run_ddl(f"UPDATE report_tally SET overdue = {n} WHERE {where}")  # noqa: S608

    manager.add_raw(count_overdue)
    return manager
