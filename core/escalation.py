"""The escalation ladder: what happens to a report nobody answers.

Each deadline has three steps, each taken exactly once however many schedulers run:
  1 reminder   at half the time       -> the department (or the verifiers, for triage)
  2 overdue    at the deadline        -> the head of department and the citizen
  3 escalated  at twice the deadline  -> leadership, and a warning letter (surat teguran)
                                         is recorded against the department

A sweep claims due reports in batches with one conditional UPDATE that moves each report's
ladder row (db.tables.ReportLadder) one step up (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an
immediate transaction on SQLite), and writes the step's events, messages and letters in the
same transaction. A report whose next step is also already due is claimed again in the same
sweep, so a scheduler that was down catches up in one sweep, still one step at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core import clock, webhooks
from core.lifecycle import ACTIVE
from core.warning_letters import letter_number, render_letter
from db.engine import insert_rows, is_sqlite, write_transaction
from db.tables import Department, Report, ReportLadder, WarningLetter

logger = logging.getLogger("ingatkan.escalation")

STEPS = {1: "reminder", 2: "overdue", 3: "escalated"}
BATCH = 5000
PARALLEL_BATCHES = 2

# Moves a batch of due ladder rows one step up, writing only narrow rows with two indexes
# (see db.tables.ReportLadder); a report's own row is only read, for the deadline the
# overdue step waits for. Every transition out of an open status stops the clock
# (core.service_levels.clock_stopped), so a due ladder row belongs to an open report.
_CLAIM = """
UPDATE report_ladder
SET level = level + 1,
    next_escalation_at = CASE level
        WHEN 0 THEN (SELECT due_at FROM report WHERE report.ladder = report_ladder.id)
        WHEN 1 THEN escalate_at
        ELSE NULL END
WHERE id IN (
    SELECT id FROM report_ladder
    WHERE next_escalation_at <= {}
    ORDER BY next_escalation_at, id
    LIMIT {}
    %s
)
RETURNING id, level
"""
_REPORT_COLUMNS = (
    Report.id, Report.tracking_code, Report.text, Report.status, Report.department,
    Report.citizen, Report.urgent, Report.due_at, Report.ladder,
)  # fmt: skip


@dataclass
class SweepStats:
    steps: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS.values(), 0))
    letters: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {**self.steps, "letters": self.letters, "batches": self.batches}


async def sweep(*, batch: int = BATCH) -> SweepStats:
    """Take every escalation step that is due now."""
    stats = SweepStats()
    departments = {
        row["id"]: row
        for row in await Department.select(Department.id, Department.code, Department.name)
    }

    async def work() -> None:
        # Until a batch finds nothing: a report just moved one step may be due the next.
        while await _sweep_batch(batch=batch, departments=departments, stats=stats):
            pass

    # On PostgreSQL, batches in parallel keep the database busy while this process builds
    # the next batch's rows; SKIP LOCKED keeps them apart. SQLite takes one writer at a time.
    await asyncio.gather(*(work() for _ in range(1 if is_sqlite() else PARALLEL_BATCHES)))
    return stats


async def _sweep_batch(
    *, batch: int, departments: dict[int, dict[str, Any]], stats: SweepStats
) -> int:
    moment = clock.now()
    sql = _CLAIM % ("" if is_sqlite() else "FOR UPDATE SKIP LOCKED")
    async with write_transaction():
        claimed = {row["id"]: row for row in await ReportLadder.raw(sql, moment, batch)}
        if not claimed:
            return 0
        rows = []
        for report in await Report.select(*_REPORT_COLUMNS).where(
            Report.ladder.is_in(list(claimed))
        ):
            if report["status"] not in ACTIVE:
                logger.warning("ladder step of closed report %s skipped", report["id"])
                continue
            rows.append({**report, "escalation_level": claimed[report["ladder"]]["level"]})
        events: list[tuple[Any, ...]] = []
        messages: list[tuple[Any, ...]] = []
        letters: list[WarningLetter] = []
        for row in rows:
            step = STEPS[row["escalation_level"]]
            stats.steps[step] += 1
            department = departments.get(row["department"])
            events.append(_event(row, step, moment))
            messages.extend(_messages(row, step, department, moment))
            if step == "escalated" and department:
                letters.append(_letter(row, department, moment))
        await insert_rows("report_event", EVENT_COLUMNS, events)
        messages += await webhooks.ladder_messages(
            rows, steps=STEPS, columns=MESSAGE_COLUMNS, moment=moment
        )
        # The dedupe keys make a repeated step harmless even if the claim ever let one through.
        await insert_rows("outbox_message", MESSAGE_COLUMNS, messages, skip_conflicts=True)
        if letters:
            await WarningLetter.insert(*letters).on_conflict(action="DO NOTHING")
            stats.letters += len(letters)
    stats.batches += 1
    return len(claimed)


def _due(row: dict[str, Any]) -> datetime:
    return (
        row["due_at"]
        if isinstance(row["due_at"], datetime)
        else datetime.fromisoformat(row["due_at"])
    )


EVENT_COLUMNS = (
    "report", "kind", "from_status", "to_status", "actor_kind", "department", "detail",
    "created_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "dedupe_key", "channel", "template", "report", "citizen", "department", "payload", "status",
    "attempts", "next_attempt_at", "created_at",
)  # fmt: skip


def _event(row: dict[str, Any], step: str, moment: datetime) -> tuple[Any, ...]:
    detail = {"level": row["escalation_level"], "deadline": _due(row).isoformat()}
    return (
        row["id"], step, row["status"], row["status"], "system", row["department"],
        json.dumps(detail), moment,
    )  # fmt: skip


def _messages(
    row: dict[str, Any], step: str, department: dict[str, Any] | None, moment: datetime
) -> list[tuple[Any, ...]]:
    due = _due(row)
    payload = json.dumps(
        {
            "tracking_code": row["tracking_code"],
            "status": row["status"],
            "event": step,
            "level": row["escalation_level"],
            "due_at": due.isoformat(),
            "urgent": bool(row["urgent"]),
            "department_code": department["code"] if department else None,
            "department_name": department["name"] if department else None,
        }
    )
    department_id = department["id"] if department else None
    staff = "department" if department else "verifier"
    recipients: list[tuple[str, int | None]] = {
        "reminder": [(staff, None)],
        "overdue": [("department_head" if department else "verifier", None),
                    ("citizen", row["citizen"])],
        "escalated": [("leadership", None)],
    }[step]  # fmt: skip
    return [
        (
            f"ladder:{row['id']}:{due.isoformat()}:{step}:{channel}",
            channel,
            step,
            row["id"],
            citizen_id,
            department_id,
            payload,
            "pending",
            0,
            moment,
            moment,
        )
        for channel, citizen_id in recipients
        if channel != "citizen" or citizen_id is not None
    ]


def _letter(row: dict[str, Any], department: dict[str, Any], moment: datetime) -> WarningLetter:
    due = _due(row)
    return WarningLetter(
        number=letter_number(
            department_code=department["code"], tracking_code=row["tracking_code"], deadline=due
        ),
        department=department["id"],
        report=row["id"],
        deadline=due,
        text=render_letter(
            department_name=department["name"],
            tracking_code=row["tracking_code"],
            report_text=row["text"],
            deadline=due,
            issued_at=moment,
        ),
        issued_at=moment,
    )
