"""Internal notes: what the department's staff tell each other about a report. A note is a
timeline event ("noted", its text in the event's detail, never in `public_note`), shown on the
staff timeline only: core.reports.models.STAFF_ONLY_EVENTS keeps it out of every public answer,
and no message or webhook is queued for it."""

from __future__ import annotations

from core import clock
from core.errors import Forbidden
from core.reports.lifecycle import load_for_update, record_event, required_note
from core.staff.actors import Actor
from core.staff.permissions import may_note
from db.engine import write_transaction
from i18n import N_, Text


async def add_note(*, tracking_code: str, text: str, actor: Actor) -> int:
    """Append an internal note to the report's timeline; returns the event's id."""
    cleaned = required_note(text, what=Text(N_("Catatan internal")), field="text")
    async with write_transaction():
        report = await load_for_update(tracking_code)
        if not may_note(actor, report.department):
            raise Forbidden(N_("Anda tidak berwenang menambah catatan pada laporan ini."))
        return await record_event(
            report_id=report.id,
            kind="noted",
            from_status=report.status,
            to_status=report.status,
            actor=actor,
            department_id=report.department,
            public_note=None,
            detail={"text": cleaned},
            moment=clock.now(),
        )
