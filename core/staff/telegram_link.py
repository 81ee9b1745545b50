"""Staff link their own Telegram chat, so the department's notices (new reports, reminders,
overdue and escalation steps) reach them (core/messaging/recipients.py).

A signed-in staff member asks for a one-time code on their account page and sends it to the
bot (`/tautkan KODE`). Only the code's hash is stored; it works once, for a quarter of an
hour, for an active account. The chat id itself is never shown on a page.
"""

from __future__ import annotations

from datetime import timedelta

from core import clock
from core.errors import NotFound
from core.readable import ALPHABET, compact
from core.shown_once import digest, readable
from core.staff.actors import Role
from core.staff.models import LinkedStaff
from db.engine import write_transaction
from db.tables import User
from i18n import N_

CODE_LENGTH = 8  # 23**8 ≈ 78 billion codes, each valid for CODE_VALID
CODE_VALID = timedelta(minutes=15)


def normalize_link_code(raw: str) -> str | None:
    """What people type ('k7qx 3m9a', 'K7QX-3M9A'); None when it cannot be a code."""
    typed = compact(raw)
    if len(typed) != CODE_LENGTH or any(char not in ALPHABET for char in typed):
        return None
    return typed


async def issue_link_code(*, user_id: int) -> str:
    """A new code for `user_id`; any earlier one stops working."""
    code = readable(CODE_LENGTH)
    updated = (
        await User.update(
            {
                User.telegram_link_code: digest(code),
                User.telegram_link_expires_at: clock.now() + CODE_VALID,
            }
        )
        .where((User.id == user_id) & (User.active == True))  # noqa: E712
        .returning(User.id)
    )
    if not updated:
        raise NotFound(N_("Akun tidak ditemukan."), field="user")
    return code


async def link_chat(*, code: str, chat_id: int) -> LinkedStaff | None:
    """Link `chat_id` to the account whose code this is, and use the code up. None when the
    code is unknown, used or expired."""
    normalised = normalize_link_code(code)
    if normalised is None:
        return None
    async with write_transaction():
        linked = (
            await User.update(
                {
                    User.telegram_chat_id: chat_id,
                    User.telegram_link_code: None,
                    User.telegram_link_expires_at: None,
                }
            )
            .where(
                (User.telegram_link_code == digest(normalised))
                & (User.telegram_link_expires_at > clock.now())
                & (User.active == True)  # noqa: E712
            )
            .returning(User.id, User.full_name, User.role)
        )
    if not linked:
        return None
    row = linked[0]
    return LinkedStaff(id=row["id"], full_name=row["full_name"], role=Role(row["role"]))


async def unlink(*, user_id: int) -> None:
    await User.update(
        {
            User.telegram_chat_id: None,
            User.telegram_link_code: None,
            User.telegram_link_expires_at: None,
        }
    ).where(User.id == user_id)


async def is_linked(*, user_id: int) -> bool:
    return await User.exists().where((User.id == user_id) & User.telegram_chat_id.is_not_null())
