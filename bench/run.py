"""Every benchmark in turn, and one table of their headline figures and ratios.

    .venv/bin/python -m bench.run            # full sizes (1,000,000 reports: an hour or more)
    .venv/bin/python -m bench.run --quick    # small sizes, a few minutes

Each benchmark measures against its own reference in the same run and prints its result;
this collects the last lines of each (its summary) into one table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

# name -> (full-size arguments, quick arguments); the last lines each prints are its summary
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "intake": ([], ["--rounds", "1", "--seconds", "5"]),
    "classifier": ([], ["--messages", "500"]),
    "bot": ([], ["--citizens", "50"]),
    "escalation": ([], ["--reports", "20000", "--due", "2000"]),
    "dashboard": ([], ["--reports", "20000", "--rounds", "10",
                       "--database", "ingatkan_bench_dashboard_quick"]),
    "metrics": ([], ["--reports", "20000", "--rounds", "3",
                     "--database", "ingatkan_bench_metrics_quick"]),
    "export": ([], ["--reports", "20000"]),
    "mail": ([], ["--mails", "300"]),
}  # fmt: skip
# What each figure should reach (issue 18 and the benchmarks' own limits), printed beside it.
GOALS = {
    "intake": "≥ 0.35 of the bare endpoint's rate in one process; --workers 2 ≥ 1.6 × one; "
    "p99 < 150 ms at 32 connections",
    "classifier": "—",
    "bot": "≥ 150 updates/s",
    "escalation": "one sweep under 10 s at 1,000,000 reports, 100,000 due",
    "dashboard": "every page p95 < 300 ms at 1,000,000 reports",
    "metrics": "/metrics under 50 ms at 1,000,000 reports; no page computes a bulk import's "
    "figures",
    "export": "RSS stays flat: peak ≈ RSS after 10,000 rows",
    "mail": "every mail exactly once",
}
SUMMARY_LINES = {"classifier": 8, "intake": 8}  # its table and figures; the others end with 3 lines


def run(name: str, arguments: list[str]) -> tuple[float, int, list[str]]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line.rstrip() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0:
        lines = [*lines, *result.stderr.strip().splitlines()[-2:]]
    return time.perf_counter() - started, result.returncode, lines[-SUMMARY_LINES.get(name, 3) :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], metavar="NAME")
    args = parser.parse_args()
    rows = []
    for name in args.names or BENCHMARKS:
        full, quick = BENCHMARKS[name]
        chosen = quick if args.quick else full
        print(f"running bench.{name} {' '.join(chosen)} …", file=sys.stderr, flush=True)
        rows.append((name, " ".join(chosen) or "(defaults)", *run(name, chosen)))
    print("| benchmark | arguments | seconds | result, beside its reference | goal |")
    print("| --- | --- | --- | --- | --- |")
    for name, shown_arguments, seconds, code, lines in rows:
        summary = "<br>".join(f"`{line}`" for line in lines) or "(no output)"
        if code != 0:
            summary = f"**failed ({code})** {summary}"
        print(f"| {name} | {shown_arguments} | {seconds:.0f} | {summary} | {GOALS[name]} |")


if __name__ == "__main__":
    main()
