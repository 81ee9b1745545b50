"""One escalation sweep over 1,000,000 open reports of which 100,000 are due, on PostgreSQL,
against a plain single UPDATE of the same rows in the same run.

    .venv/bin/python -m bench.escalation [--reports 1000000] [--due 100000]

The database is created, seeded (bulk COPY) and dropped by the script.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import asyncpg

from bench.scratch import scratch_database
from core import clock
from core.reports.synthetic import seed_history
from core.service_levels import scheduled

# The least any sweep must do: move the due ladder rows of open reports one step.
PLAIN_UPDATE = """
UPDATE report_ladder SET level = level + 1, next_escalation_at = report.due_at
FROM report
WHERE report.ladder = report_ladder.id AND report_ladder.next_escalation_at <= $1
  AND report.status IN ('triage', 'open', 'in_progress')
"""


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=100_000)
    args = parser.parse_args()
    async with scratch_database("escalation") as url:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            print(f"\rseeding {done:,}/{total:,}", end="", file=sys.stderr, flush=True)

        await seed_history(reports=args.reports, days=365, progress=progress)
        print(f"\nseeded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        now = clock.now()
        connection = await asyncpg.connect(url)
        # Every report open with a deadline in the future; `--due` of them at half time now.
        await connection.execute(
            "UPDATE report SET status = 'open', due_at = $1::timestamptz + interval '3 days'",
            now,
        )
        await connection.execute(
            "UPDATE report_ladder SET level = 0, "
            "escalate_at = $1::timestamptz + interval '9 days', "
            "next_escalation_at = CASE WHEN id % ($2::bigint) = 0 "
            "THEN $1::timestamptz - interval '1 minute' "
            "ELSE $1::timestamptz + interval '1 day' END",
            now,
            args.reports // args.due,
        )
        await connection.execute("VACUUM ANALYZE report")
        await connection.execute("VACUUM ANALYZE report_ladder")
        due = await connection.fetchval(
            "SELECT count(*) FROM report_ladder WHERE next_escalation_at <= $1", now
        )
        started = time.perf_counter()
        await connection.execute(PLAIN_UPDATE, now)
        plain = time.perf_counter() - started
        # put the rows back for the real sweep
        await connection.execute(
            "UPDATE report_ladder SET level = 0, "
            "next_escalation_at = $1::timestamptz - interval '1 minute' "
            "WHERE level = 1",
            now,
        )
        await connection.execute("VACUUM ANALYZE report_ladder")
        await connection.close()
        with clock.frozen_at(now):
            started = time.perf_counter()
            stats = await scheduled.sweep()
            sweep = time.perf_counter() - started
        assert stats.reminder == due, stats
        print(f"{'what':<44}{'seconds':>10}")
        print(f"{f'plain single UPDATE of {due:,} rows':<44}{plain:>10.2f}")
        print(f"{f'escalation sweep ({due:,} reminders, events, messages)':<44}{sweep:>10.2f}")
        print(f"ratio sweep/plain: {sweep / plain:.1f}   goal: sweep under 10 s")


if __name__ == "__main__":
    asyncio.run(main())
