"""The escalation ladder: what happens to a report nobody answers.

Each deadline has three steps, each taken exactly once however many schedulers run:
  1 reminder   at half the time       -> the department (or the verifiers, for triage)
  2 overdue    at the deadline        -> the head of department and the citizen
  3 escalated  at twice the deadline  -> leadership, and a warning letter (surat teguran)
                                         is recorded against the department

The climb is core/service_levels/ladder.py's, over each report's narrow ladder row
(db.tables.ReportLadder), run by the sweep in core/service_levels/scheduled.py; this module
says what a step writes: the report's timeline event, its messages and, at the last step, the
letter.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.integrations import webhooks
from core.messaging import outbox
from core.reports.lifecycle import ACTIVE
from core.service_levels.ladder import STEPS
from core.service_levels.models import LadderDepartment
from core.service_levels.warning_letters import letter_number, render_letter
from db.engine import insert_rows
from db.tables import Report, ReportEvent, WarningLetter

logger = logging.getLogger("ingatkan.escalation")

# A report's own row is only read, for the deadline the overdue step waits for. Every
# transition out of an open status stops the clock (core.service_levels.deadlines.clock_stopped),
# so a due ladder row belongs to an open report.
DUE = "(SELECT due_at FROM report WHERE report.ladder = report_ladder.id)"
_REPORT_COLUMNS = (
    Report.id, Report.tracking_code, Report.text, Report.status, Report.department,
    Report.citizen, Report.urgent, Report.due_at, Report.ladder,
)  # fmt: skip


async def take_steps(
    claimed: list[dict[str, Any]], moment: datetime, departments: Mapping[int, LadderDepartment]
) -> tuple[list[str], int]:
    """The events, messages and letters of the steps just claimed (ladder rows with the
    `level` each reached); the steps taken and the letters written."""
    levels = {row["id"]: row["level"] for row in claimed}
    rows = []
    for report in await Report.select(*_REPORT_COLUMNS).where(Report.ladder.is_in(list(levels))):
        if report["status"] not in ACTIVE:
            logger.warning("ladder step of closed report %s skipped", report["id"])
            continue
        rows.append({**report, "escalation_level": levels[report["ladder"]]})
    events: list[dict[str, Any]] = []
    messages: list[outbox.Message] = []
    letters: list[WarningLetter] = []
    steps = []
    for row in rows:
        step = STEPS[row["escalation_level"]]
        steps.append(step)
        department = departments.get(row["department"])
        events.append(_event(row, step, moment))
        messages.extend(_messages(row, step, department))
        if step == "escalated" and department:
            letters.append(_letter(row, department, moment))
    await insert_rows(ReportEvent, events)
    messages += await webhooks.ladder_messages(rows, steps=STEPS, moment=moment)
    # The dedupe keys make a repeated step harmless even if the claim ever let one through.
    await outbox.enqueue(*messages, skip_duplicates=True)
    if letters:
        await WarningLetter.insert(*letters).on_conflict(action="DO NOTHING")
    return steps, len(letters)


def _due(row: dict[str, Any]) -> datetime:
    return (
        row["due_at"]
        if isinstance(row["due_at"], datetime)
        else datetime.fromisoformat(row["due_at"])
    )


def _event(row: dict[str, Any], step: str, moment: datetime) -> dict[str, Any]:
    return {
        "report": row["id"],
        "kind": step,
        "from_status": row["status"],
        "to_status": row["status"],
        "actor_kind": "system",
        "department": row["department"],
        "detail": {"level": row["escalation_level"], "deadline": _due(row).isoformat()},
        "created_at": moment,
    }


def _messages(
    row: dict[str, Any], step: str, department: LadderDepartment | None
) -> list[outbox.Message]:
    due = _due(row)
    payload = {
        "tracking_code": row["tracking_code"],
        "status": row["status"],
        "event": step,
        "level": row["escalation_level"],
        "due_at": due.isoformat(),
        "urgent": bool(row["urgent"]),
        "department_code": department.code if department else None,
        "department_name": department.name if department else None,
    }
    staff = "department" if department else "verifier"
    recipients: list[tuple[str, int | None]] = {
        "reminder": [(staff, None)],
        "overdue": [("department_head" if department else "verifier", None),
                    ("citizen", row["citizen"])],
        "escalated": [("leadership", None)],
    }[step]  # fmt: skip
    return [
        outbox.Message(
            dedupe_key=f"ladder:{row['id']}:{due.isoformat()}:{step}:{channel}",
            channel=channel,
            template=step,
            report_id=row["id"],
            citizen_id=citizen_id,
            department_id=department.id if department else None,
            payload=payload,
        )
        for channel, citizen_id in recipients
        if channel != "citizen" or citizen_id is not None
    ]


def _letter(row: dict[str, Any], department: LadderDepartment, moment: datetime) -> WarningLetter:
    due = _due(row)
    return WarningLetter(
        number=letter_number(
            department_code=department.code, tracking_code=row["tracking_code"], deadline=due
        ),
        department=department.id,
        report=row["id"],
        deadline=due,
        text=render_letter(
            department_name=department.name,
            tracking_code=row["tracking_code"],
            report_text=row["text"],
            deadline=due,
            issued_at=moment,
        ),
        issued_at=moment,
    )
