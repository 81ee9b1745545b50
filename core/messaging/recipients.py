"""Who a notification reaches on Telegram: a citizen's chat, or the chats of the staff who
answer for a department (or the city). Telegram ids leave this module only to be sent to."""

from __future__ import annotations

from typing import Any

from core.messaging.models import Recipient, ReportContext
from core.reports.attachments import report_attachments
from core.staff.actors import Role
from db.tables import Citizen, Report, User

# Which staff a staff channel of the outbox reaches; the first two within one department.
STAFF_CHANNELS: dict[str, frozenset[Role]] = {
    "department": frozenset({Role.OFFICER, Role.HEAD}),
    "department_head": frozenset({Role.HEAD}),
    "verifier": frozenset({Role.VERIFIER}),
    "leadership": frozenset({Role.LEADERSHIP}),
}
_DEPARTMENT_CHANNELS = frozenset({"department", "department_head"})


async def citizen_recipient(citizen_id: int | None) -> Recipient | None:
    if citizen_id is None:
        return None
    row = (
        await Citizen.select(Citizen.telegram_chat_id, Citizen.language)
        .where(Citizen.id == citizen_id)
        .first()
    )
    if row is None or row["telegram_chat_id"] is None:
        return None
    return Recipient(
        key=f"c{citizen_id}", chat_id=row["telegram_chat_id"], language=row["language"]
    )


async def staff_recipients(*, channel: str, department_id: int | None) -> list[Recipient]:
    """Active staff of the channel's roles with a linked Telegram chat (staff read Indonesian)."""
    roles = STAFF_CHANNELS[channel]
    query = User.select(User.id, User.telegram_chat_id).where(
        (User.active == True)  # noqa: E712
        & User.role.is_in(sorted(roles))
        & User.telegram_chat_id.is_not_null()
    )
    if channel in _DEPARTMENT_CHANNELS:
        if department_id is None:
            return []
        query = query.where(User.department == department_id)
    rows = await query.order_by(User.id)
    return [
        Recipient(key=f"u{row['id']}", chat_id=row["telegram_chat_id"], language="id")
        for row in rows
    ]


async def report_context(report_id: int | None) -> ReportContext:
    if report_id is None:
        return ReportContext()
    row: dict[str, Any] | None = (
        await Report.select(
            Report.tracking_code,
            Report.text,
            Report.department.name.as_alias("department_name"),
        )
        .where(Report.id == report_id)
        .first()
    )
    if row is None:
        return ReportContext()
    photos = [
        attachment.file_id
        for attachment in await report_attachments(report_id=report_id)
        if attachment.kind == "telegram_photo"
    ]
    return ReportContext(
        tracking_code=row["tracking_code"],
        text=row["text"],
        department_name=row["department_name"],
        photo_file_ids=photos,
    )
