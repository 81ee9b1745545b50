"""How staff hear of the notices of their department or role (new reports, reminders,
overdue and escalation steps, policy reviews, the daily digest): by Telegram when they linked
a chat (core/staff/telegram_link.py), else by email when an admin gave them an address, else
not at all. One rule, read by the outbox (which writes a mail for each staff member it reaches
by email, core/messaging/outbox.py), the deliverers (core/messaging/recipients.py) and the pages
that say who will hear (the admin's list of staff, the account page).

An address is stored trimmed and lower-cased, one account per address (index
app_user_email_key); it is shown to admins and to the staff member only."""

from __future__ import annotations

from piccolo.custom_types import Combinable

from core.errors import InvalidInput
from core.input_rules import is_email_address
from core.staff.models import OwnNotices, StaffReach
from db.tables import User
from i18n import N_


def staff_reach(*, active: bool, telegram_chat_id: int | None, email: str | None) -> StaffReach:
    if not active:
        return StaffReach.NOBODY
    if telegram_chat_id is not None:
        return StaffReach.TELEGRAM
    return StaffReach.EMAIL if email else StaffReach.NOBODY


def reached_by_mail() -> Combinable:
    """The accounts `staff_reach` names EMAIL, as a query condition."""
    return (
        (User.active == True)  # noqa: E712
        & User.telegram_chat_id.is_null()
        & User.email.is_not_null()
    )


def staff_email(raw: str | None) -> str | None:
    """An address as typed by an admin, in its stored form; None when left empty."""
    email = (raw or "").strip().lower()
    if not email:
        return None
    if not is_email_address(email):
        raise InvalidInput(N_("Alamat email tidak valid."), field="email")
    return email


async def require_email_free(email: str | None, *, user_id: int | None = None) -> None:
    """Refuse an address another account has (a race is caught by the unique index)."""
    if email is None:
        return
    query = User.exists().where(User.email == email)
    if user_id is not None:
        query = query.where(User.id != user_id)
    if await query:
        raise email_taken()


def email_taken() -> InvalidInput:
    return InvalidInput(N_("Alamat surel ini sudah dipakai akun staf lain."), field="email")


async def own_notices(*, user_id: int) -> OwnNotices:
    row = (
        await User.select(User.active, User.telegram_chat_id, User.email)
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        return OwnNotices(email=None, reach=StaffReach.NOBODY)
    return OwnNotices(
        email=row["email"],
        reach=staff_reach(
            active=row["active"], telegram_chat_id=row["telegram_chat_id"], email=row["email"]
        ),
    )
