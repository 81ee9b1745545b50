"""Signing staff in, and the account changes an admin makes.

Each account has a budget of MAX_FAILED_LOGINS guesses per lock window. An attempt takes one
from the budget in a single conditional UPDATE *before* its password is checked, so however
many attempts run at once, at most that many passwords are ever checked; taking the last one
locks the account for LOCKOUT. A right password starts the count again, but only if no
attempt took from the budget after it (compare-and-set): a lock set by a later guess stays,
and no guess after it is ever checked in that window. Every refusal says the same thing and
costs one scrypt, so neither the text, the status nor the time tells an unknown name, a
wrong password, a deactivated or a locked account apart.

Anything that changes what a session may do (password, active, role, department) bumps the
account's session_version, which ends the sessions signed in before it (api/auth.py).
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

import asyncpg
import msgspec
from piccolo.columns import Column

from core import clock
from core.errors import InvalidInput, NotFound
from core.staff.actors import Actor, Role
from core.staff.models import SignedInAccount, StaffListing, StaffMember
from core.staff.notices import email_taken, require_email_free, staff_email, staff_reach
from core.staff.passwords import (
    DUMMY_HASH,
    hash_password,
    require_long_enough,
    verify_password,
)
from core.staff.permissions import require_admin
from db.tables import User
from i18n import N_

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class SignInRefused(InvalidInput):
    """Wrong username or password, a deactivated account, or a locked one: one answer."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "Nama pengguna atau kata sandi salah, atau akun dikunci sementara setelah "
                "terlalu banyak percobaan. Coba lagi nanti."
            ),
            field="password",
        )


async def _take_attempt(user_id: int) -> int | None:
    """Count one attempt against the account's budget before its password is checked: the
    attempt's number in this window, or None when the budget is spent, the account is locked
    or deactivated."""
    moment = clock.now()
    # A lock that has run out starts a new window (harmless when several do it at once).
    await User.update({User.failed_logins: 0, User.locked_until: None}).where(
        (User.id == user_id) & (User.locked_until <= moment)
    )
    rows = (
        await User.update({User.failed_logins: User.failed_logins + 1})
        .where(
            (User.id == user_id)
            & (User.active == True)  # noqa: E712
            & User.locked_until.is_null()
            & (User.failed_logins < MAX_FAILED_LOGINS)
        )
        .returning(User.failed_logins)
    )
    if not rows:
        return None
    taken: int = rows[0]["failed_logins"]
    if taken >= MAX_FAILED_LOGINS:
        # The window's last guess: the lock starts now, unless this very guess proves right.
        await User.update({User.locked_until: moment + LOCKOUT}).where(User.id == user_id)
    return taken


async def authenticate(*, username: str, password: str) -> SignedInAccount:
    """The active staff account with these credentials; SignInRefused otherwise."""
    name = username.strip().lower()
    user = await User.select().where(User.username == name).first() if name else None
    taken = await _take_attempt(user["id"]) if user is not None else None
    if user is None or taken is None:
        await verify_password(password, DUMMY_HASH)
        raise SignInRefused()
    if not await verify_password(password, user["password_hash"]):
        raise SignInRefused()  # the attempt stays counted
    # Give the budget back only if no other attempt took from it meanwhile.
    await User.update({User.failed_logins: 0, User.locked_until: None}).where(
        (User.id == user["id"]) & (User.failed_logins == taken)
    )
    return SignedInAccount(
        id=user["id"],
        username=user["username"],
        full_name=user["full_name"],
        role=Role(user["role"]),
        session_version=user["session_version"],
    )


async def staff_member(user_id: int) -> StaffMember | None:
    """An active account with its department, as a signed-in session needs it."""
    row = (
        await User.select(
            User.id,
            User.username,
            User.full_name,
            User.role,
            User.department.as_alias("department_id"),
            User.department.code.as_alias("department_code"),
            User.department.name.as_alias("department_name"),
            User.session_version,
        )
        .where((User.id == user_id) & (User.active == True))  # noqa: E712
        .first()
    )
    return None if row is None else msgspec.convert(row, StaffMember)


async def list_staff() -> list[StaffListing]:
    rows = await User.select(
        User.id,
        User.username,
        User.full_name,
        User.role,
        User.active,
        User.locked_until,
        User.email,
        User.telegram_chat_id,
        User.department.code.as_alias("department_code"),
    ).order_by(User.username)
    for row in rows:  # the chat id itself never leaves this function
        row["reach"] = staff_reach(
            active=row["active"], telegram_chat_id=row.pop("telegram_chat_id"), email=row["email"]
        )
    return msgspec.convert(rows, list[StaffListing])


# Sessions remember the version they were signed in under; a bump ends them all.
_END_SESSIONS: dict[Column | str, Any] = {User.session_version: User.session_version + 1}


async def _existing(user_id: int) -> None:
    if not await User.exists().where(User.id == user_id):
        raise NotFound(N_("Pengguna tidak ditemukan."), field="user")


async def set_active(*, user_id: int, active: bool, actor: Actor) -> None:
    require_admin(actor)
    if user_id == actor.user_id and not active:
        raise InvalidInput(
            N_("Anda tidak dapat menonaktifkan akun Anda sendiri."),
            field="user",
        )
    await _existing(user_id)
    # Reactivating must not revive a session from before the deactivation either.
    await User.update({User.active: active, **_END_SESSIONS}).where(User.id == user_id)


async def set_email(*, user_id: int, email: str | None, actor: Actor) -> None:
    """Give an account the address its notices go to while no Telegram chat is linked; an
    empty address removes it."""
    require_admin(actor)
    address = staff_email(email)
    await _existing(user_id)
    await require_email_free(address, user_id=user_id)
    try:
        await User.update({User.email: address}).where(User.id == user_id)
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        raise email_taken() from None


async def unlock(*, user_id: int, actor: Actor) -> None:
    require_admin(actor)
    await _existing(user_id)
    await User.update({User.failed_logins: 0, User.locked_until: None}).where(User.id == user_id)


async def set_password(*, user_id: int, password: str, actor: Actor) -> None:
    require_admin(actor)
    require_long_enough(password)
    await _existing(user_id)
    await User.update(
        {
            User.password_hash: await hash_password(password),
            User.failed_logins: 0,
            User.locked_until: None,
            **_END_SESSIONS,
        }
    ).where(User.id == user_id)
