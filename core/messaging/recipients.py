"""Who a notification reaches: on Telegram a citizen's chat, or the chats of the staff who
answer for a department (or the city); by mail the staff of the same channels who linked no
chat but have an address (core/staff/notices.py). Telegram ids and staff addresses leave this
module only to be sent to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.messaging.models import Recipient, ReportContext, StaffMailRecipient
from core.reports.attachments import report_attachments
from core.staff.actors import Role
from core.staff.notices import reached_by_mail
from db.tables import Citizen, Report, User

# Which staff a staff channel of the outbox reaches; the first two within one department.
STAFF_CHANNELS: dict[str, frozenset[Role]] = {
    "department": frozenset({Role.OFFICER, Role.HEAD}),
    "department_head": frozenset({Role.HEAD}),
    "verifier": frozenset({Role.VERIFIER}),
    "leadership": frozenset({Role.LEADERSHIP}),
    # Who is told when nobody else can be reached, or nobody acted in time on an urgent report.
    "admin": frozenset({Role.ADMIN}),
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


async def first_reached(*, channels: Sequence[str], department_id: int | None) -> str | None:
    """The first of the staff `channels` whose message reaches somebody, by Telegram or by
    mail, about department `department_id`; None when none does. One query for them all: an
    urgent report asks before it is answered."""
    roles = sorted(set().union(*(STAFF_CHANNELS[channel] for channel in channels)))
    reached = await (
        User.select(User.role, User.department)
        .where(
            (User.active == True)  # noqa: E712
            & User.role.is_in(roles)
            & (User.telegram_chat_id.is_not_null() | User.email.is_not_null())
        )
        .distinct()
    )
    for channel in channels:
        if any(
            hears_channel(
                channel=channel, role=row["role"], department_id=row["department"], of=department_id
            )
            for row in reached
        ):
            return channel
    return None


def hears_channel(*, channel: str, role: str, department_id: int | None, of: int | None) -> bool:
    """Whether a staff member of `role` in department `department_id` is in the audience of a
    message on the staff `channel` about department `of`."""
    if role not in STAFF_CHANNELS[channel]:
        return False
    return channel not in _DEPARTMENT_CHANNELS or (of is not None and department_id == of)


async def staff_reached_by_mail() -> list[dict[str, Any]]:
    """Every account the notices reach by mail: id, role, department (no address)."""
    return list(
        await User.select(User.id, User.role, User.department)
        .where(reached_by_mail())
        .order_by(User.id)
    )


async def staff_mail_recipient(
    *, user_id: int, channel: str, department_id: int | None
) -> StaffMailRecipient | None:
    """The staff member a mail on `channel` was written for, if it still reaches them by mail:
    still active, still without Telegram, still in the channel's role and department."""
    row = (
        await User.select(User.id, User.email, User.full_name, User.role, User.department)
        .where((User.id == user_id) & reached_by_mail())
        .first()
    )
    if row is None or channel not in STAFF_CHANNELS:
        return None
    if not hears_channel(
        channel=channel, role=row["role"], department_id=row["department"], of=department_id
    ):
        return None
    return StaffMailRecipient(
        user_id=row["id"], email=row["email"], full_name=row["full_name"], role=row["role"]
    )


async def report_context(report_id: int | None) -> ReportContext:
    if report_id is None:
        return ReportContext()
    row: dict[str, Any] | None = (
        await Report.select(
            Report.tracking_code,
            Report.text,
            Report.confidential,
            Report.address,
            Report.kecamatan,
            Report.latitude,
            Report.longitude,
            Report.department.name.as_alias("department_name"),
            Report.suggested_referral,
            Report.referred_to,
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
        confidential=bool(row["confidential"]),
        suggested_referral=row["suggested_referral"],
        referred_to=row["referred_to"],
        place=_place(row),
    )


def _place(row: dict[str, Any]) -> str | None:
    parts = [row["address"]] if row["address"] else []
    if row["kecamatan"]:
        parts.append(f"Kec. {row['kecamatan']}")
    if row["latitude"] is not None and row["longitude"] is not None:
        parts.append(f"{row['latitude']:.5f}, {row['longitude']:.5f}")
    return ", ".join(parts) or None
