"""The staff package's records: accounts as sign-in, the session, the admin's list and the
bot's link read them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec

from core.staff.actors import Role
from i18n import N_


class StaffReach(StrEnum):
    """How a staff member hears of the notices of their department or role
    (core/staff/notices.py)."""

    TELEGRAM = "telegram"
    EMAIL = "email"  # no Telegram chat linked, an address the admin entered
    NOBODY = "nobody"  # neither, or the account is deactivated


# What the admin's list of staff and the account page say of each.
STAFF_REACH_NAMES: dict[str, str] = {
    StaffReach.TELEGRAM: N_("Telegram"),
    StaffReach.EMAIL: N_("Surel"),
    StaffReach.NOBODY: N_("Tidak menerima pemberitahuan"),
}


class SignedInAccount(msgspec.Struct, frozen=True, kw_only=True):
    """The account whose credentials were right, for the door that starts its session."""

    id: int
    username: str
    full_name: str
    role: Role
    session_version: int


class StaffMember(msgspec.Struct, frozen=True, kw_only=True):
    """An active account with its department, as a signed-in session needs it."""

    id: int
    username: str
    full_name: str
    role: Role
    department_id: int | None
    department_code: str | None
    department_name: str | None
    session_version: int


class StaffListing(msgspec.Struct, frozen=True, kw_only=True):
    """One account in the admin's list of staff."""

    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    department_code: str | None
    email: str | None  # for the admin's eyes only
    reach: StaffReach


class OwnNotices(msgspec.Struct, frozen=True, kw_only=True):
    """How a staff member's notices reach them, for their own account page."""

    email: str | None
    reach: StaffReach


class NewUser(msgspec.Struct, frozen=True, kw_only=True):
    """The account an admin (or the operator) just created."""

    id: int
    username: str
    role: Role
    department_id: int | None


class LinkedStaff(msgspec.Struct, frozen=True, kw_only=True):
    """The account a Telegram chat was just linked to, for the bot's greeting."""

    id: int
    full_name: str
    role: Role
