"""One-time links about one report that act without signing in: following the report in
Telegram (FOLLOW, the start code of a `t.me/<bot>?start=<code>` link on the confirmation page
and in the receipt mail) and answering its resolution from the mail (ANSWER: rate it or say it
is not done, core/reports/follow_up.py).

A link holds a random token of which only the SHA-256 is kept (core/shown_once.py). It is
bound to its report (a token given with another report's code is refused) and, for an
answer, to the citizen it was mailed to; it expires and works once: using it is a
compare-and-set, inside the caller's transaction, so of two clicks at once one acts.
A token is URL-safe and at most 64 characters, Telegram's rule for a start parameter.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import msgspec

from core import clock
from core.citizens.mail import LinkNotValid
from core.shown_once import digest
from db.tables import ReportLink

FOLLOW = "follow"
ANSWER = "answer"
# A week: as long as a mail's confirmation link, and as long as a resolved report waits for
# its citizen before it closes by itself (core/reports/scheduled.py).
LINK_VALID = timedelta(days=7)
TOKEN_BYTES = 24  # 32 characters of [A-Za-z0-9_-]
# What a token may look like: Telegram's start parameter (1-64 of [A-Za-z0-9_-]).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ReportLinkRow(msgspec.Struct, frozen=True, kw_only=True):
    """A link as stored: whose it is and whether it was used or ran out."""

    id: int
    report_id: int
    citizen_id: int | None
    used: bool
    expired: bool


async def new_link(*, report_id: int, citizen_id: int | None, purpose: str) -> str:
    """A token for a link about the report; only its hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = clock.now()
    await ReportLink.insert(
        ReportLink(
            token_hash=digest(token),
            report=report_id,
            citizen=citizen_id,
            purpose=purpose,
            expires_at=moment + LINK_VALID,
            created_at=moment,
        )
    )
    return token


async def find_link(*, token: str, purpose: str, report_id: int | None = None) -> ReportLinkRow:
    """The link of this token, used or not; LinkNotValid when unknown, or of another report
    than `report_id` when given."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise LinkNotValid()
    query = ReportLink.select(
        ReportLink.id,
        ReportLink.report,
        ReportLink.citizen,
        ReportLink.expires_at,
        ReportLink.used_at,
    ).where((ReportLink.token_hash == digest(token)) & (ReportLink.purpose == purpose))
    if report_id is not None:
        query = query.where(ReportLink.report == report_id)
    row = await query.first()
    if row is None:
        raise LinkNotValid()
    return ReportLinkRow(
        id=row["id"],
        report_id=row["report"],
        citizen_id=row["citizen"],
        used=row["used_at"] is not None,
        expired=row["expires_at"] <= clock.now(),
    )


async def use_link(*, token: str, purpose: str, report_id: int | None = None) -> ReportLinkRow:
    """Use a link up, inside the caller's write transaction: LinkNotValid when unknown, of
    another report, expired or already used (also by a click a moment earlier)."""
    link = await find_link(token=token, purpose=purpose, report_id=report_id)
    if link.used or link.expired:
        raise LinkNotValid()
    used = (
        await ReportLink.update({ReportLink.used_at: clock.now()})
        .where((ReportLink.id == link.id) & ReportLink.used_at.is_null())
        .returning(ReportLink.id)
    )
    if not used:
        raise LinkNotValid()
    return link
