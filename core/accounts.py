"""Signing staff in, and the account changes an admin makes.

Repeated wrong passwords lock an account for a while, so a password cannot be guessed by
trying many; the lock is per account, the counter starts again after a success or a lock.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core import clock
from core.errors import InvalidInput, NotFound
from core.passwords import hash_password, verify_password
from core.users import MIN_PASSWORD
from db.tables import User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Checked when the username is unknown, so a wrong name costs as long as a wrong password
# and response times do not reveal which usernames exist.
_DUMMY_HASH = hash_password("not-a-real-password")


class SignInRefused(InvalidInput):
    """Wrong username or password, a deactivated account, or a locked one."""

    def __init__(self, message_id: str, message_en: str, *, locked: bool = False) -> None:
        super().__init__(message_id, message_en, field="password")
        self.locked = locked


def _wrong() -> SignInRefused:
    return SignInRefused("Nama pengguna atau kata sandi salah.", "Wrong username or password.")


def _locked(minutes: int) -> SignInRefused:
    return SignInRefused(
        f"Akun dikunci sementara karena terlalu banyak percobaan gagal. "
        f"Coba lagi dalam {minutes} menit.",
        f"The account is locked after too many failed attempts. Try again in {minutes} minutes.",
        locked=True,
    )


async def authenticate(*, username: str, password: str) -> dict[str, Any]:
    """The active staff account with these credentials; SignInRefused otherwise."""
    name = username.strip().lower()
    user = await User.select().where(User.username == name).first() if name else None
    if user is None or not user["active"]:
        verify_password(password, _DUMMY_HASH)
        raise _wrong()
    moment = clock.now()
    if user["locked_until"] and user["locked_until"] > moment:
        remaining = user["locked_until"] - moment
        raise _locked(max(1, -(-int(remaining.total_seconds()) // 60)))
    if not verify_password(password, user["password_hash"]):
        # One statement, so concurrent failures are all counted.
        rows = (
            await User.update({User.failed_logins: User.failed_logins + 1})
            .where(User.id == user["id"])
            .returning(User.failed_logins)
        )
        if rows[0]["failed_logins"] >= MAX_FAILED_LOGINS:
            await User.update({User.failed_logins: 0, User.locked_until: moment + LOCKOUT}).where(
                User.id == user["id"]
            )
            raise _locked(int(LOCKOUT.total_seconds() // 60))
        raise _wrong()
    if user["failed_logins"] or user["locked_until"]:
        await User.update({User.failed_logins: 0, User.locked_until: None}).where(
            User.id == user["id"]
        )
    return user


async def staff_member(user_id: int) -> dict[str, Any] | None:
    """An active account with its department, as a signed-in session needs it."""
    return (
        await User.select(
            User.id,
            User.username,
            User.full_name,
            User.role,
            User.department,
            User.department.code.as_alias("department_code"),
            User.department.name.as_alias("department_name"),
        )
        .where((User.id == user_id) & (User.active == True))  # noqa: E712
        .first()
    )


async def list_staff() -> list[dict[str, Any]]:
    return await User.select(
        User.id,
        User.username,
        User.full_name,
        User.role,
        User.active,
        User.locked_until,
        User.department.code.as_alias("department_code"),
    ).order_by(User.username)


async def _existing(user_id: int) -> None:
    if not await User.exists().where(User.id == user_id):
        raise NotFound("Pengguna tidak ditemukan.", "No such user.", field="user")


async def set_active(*, user_id: int, active: bool, acting_user_id: int) -> None:
    if user_id == acting_user_id and not active:
        raise InvalidInput(
            "Anda tidak dapat menonaktifkan akun Anda sendiri.",
            "You cannot deactivate your own account.",
            field="user",
        )
    await _existing(user_id)
    await User.update({User.active: active}).where(User.id == user_id)


async def unlock(*, user_id: int) -> None:
    await _existing(user_id)
    await User.update({User.failed_logins: 0, User.locked_until: None}).where(User.id == user_id)


async def set_password(*, user_id: int, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"Kata sandi minimal {MIN_PASSWORD} karakter.",
            f"Password must be at least {MIN_PASSWORD} characters.",
            field="password",
        )
    await _existing(user_id)
    await User.update(
        {
            User.password_hash: hash_password(password),
            User.failed_logins: 0,
            User.locked_until: None,
        }
    ).where(User.id == user_id)
