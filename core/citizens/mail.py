"""A citizen's email address as a way to reach them and as a proof of who they are.

The first mail to an address (the receipt of a report) carries a confirmation link; only a
confirmed address hears each update and counts as a verified identity
(core/policies/pressure.py). Every mail carries an unsubscribe link that works without signing
in. Both links hold a random token of which only the SHA-256 is kept (core/shown_once.py); a
confirmation expires and works once, an unsubscribe link keeps working (saying it twice
changes nothing).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from core import clock
from core.citizens.models import MailCitizen, Reach
from core.errors import NotFound
from core.shown_once import digest
from db.engine import write_transaction
from db.tables import Citizen, MailToken
from i18n import N_

CONFIRM_VALID = timedelta(days=7)
# URL-safe, long enough that nobody guesses one; nobody types it, they click it.
TOKEN_BYTES = 24
CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"


class LinkNotValid(NotFound):
    def __init__(self) -> None:
        super().__init__(
            N_("Tautan ini tidak berlaku lagi: sudah dipakai, kedaluwarsa, atau tidak dikenal.")
        )


def reach(
    *, telegram_chat_id: int | None, email: str | None, confirmed: bool, unsubscribed: bool
) -> Reach:
    """How a citizen hears of their reports' changes: Telegram first, then a confirmed address."""
    if telegram_chat_id is not None:
        return Reach.TELEGRAM
    if email is None or unsubscribed:
        return Reach.NOBODY
    return Reach.EMAIL if confirmed else Reach.EMAIL_UNCONFIRMED


async def mail_citizen(citizen_id: int | None) -> MailCitizen | None:
    """The citizen's address and how they want it used; None without an address."""
    if citizen_id is None:
        return None
    row = (
        await Citizen.select(
            Citizen.email,
            Citizen.language,
            Citizen.email_confirmed_at,
            Citizen.email_unsubscribed_at,
        )
        .where(Citizen.id == citizen_id)
        .first()
    )
    if row is None or row["email"] is None:
        return None
    return MailCitizen(
        id=citizen_id,
        email=row["email"],
        language=row["language"],
        confirmed=row["email_confirmed_at"] is not None,
        unsubscribed=row["email_unsubscribed_at"] is not None,
    )


async def new_link_token(*, citizen_id: int, purpose: str) -> str:
    """A token for a link in a mail to the citizen; only its hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = clock.now()
    await MailToken.insert(
        MailToken(
            token_hash=digest(token),
            citizen=citizen_id,
            purpose=purpose,
            expires_at=moment + CONFIRM_VALID if purpose == CONFIRM else None,
            created_at=moment,
        )
    )
    return token


async def _use(token: str, purpose: str) -> int:
    """The citizen a valid `token` of `purpose` belongs to; a confirmation is used up."""
    moment = clock.now()
    row = (
        await MailToken.select(MailToken.id, MailToken.citizen, MailToken.expires_at)
        .where((MailToken.token_hash == digest(token)) & (MailToken.purpose == purpose))
        .first()
    )
    if row is None or (row["expires_at"] is not None and row["expires_at"] <= moment):
        raise LinkNotValid()
    if purpose == CONFIRM:
        # Compare-and-set: of two clicks at once, one confirms and the other is told it is used.
        used = (
            await MailToken.update({MailToken.used_at: moment})
            .where((MailToken.id == row["id"]) & MailToken.used_at.is_null())
            .returning(MailToken.id)
        )
        if not used:
            raise LinkNotValid()
    citizen: int = row["citizen"]
    return citizen


async def confirm_address(*, token: str) -> None:
    """Follow a confirmation link: the address hears updates and is a verified identity."""
    async with write_transaction():
        citizen = await _use(token, CONFIRM)
        await Citizen.update({Citizen.email_confirmed_at: clock.now()}).where(
            (Citizen.id == citizen) & Citizen.email_confirmed_at.is_null()
        )


async def unsubscribe(*, token: str) -> None:
    """Follow an unsubscribe link: no more mail to the address."""
    async with write_transaction():
        citizen = await _use(token, UNSUBSCRIBE)
        await Citizen.update({Citizen.email_unsubscribed_at: clock.now()}).where(
            (Citizen.id == citizen) & Citizen.email_unsubscribed_at.is_null()
        )
