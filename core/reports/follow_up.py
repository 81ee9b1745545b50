"""A citizen who reported without Telegram confirms, rates or reopens their report.

The bot knows its citizens by their chat; a web page or an API client knows nothing of the
sender. So a report sent through them gets a follow-up key, given once with the tracking
code (only its hash is kept). The tracking code alone is public enough to be shared; the
key is what proves the sender, and it is checked before the citizen's transition runs.

The mail that tells a citizen their report is resolved proves them the same way with a
one-time answer link (core/reports/one_time_links.py) instead of the key: bound to the report
and to the citizen it was mailed to, used up in the transaction of the rating or reopening,
so a failed one (a reason too short) leaves it usable and a second click is refused.
"""

from __future__ import annotations

import hmac
from typing import Any

import msgspec

from core.citizens.mail import LinkNotValid
from core.errors import Forbidden
from core.readable import compact
from core.reports import lifecycle, merging
from core.reports.models import ReportRecord, Status
from core.reports.one_time_links import ANSWER, find_link, new_link, use_link
from core.reports.tracking import normalize_code, report_not_found
from core.shown_once import digest, readable
from core.staff.actors import Actor, ActorKind
from db.engine import write_transaction
from db.tables import Report
from i18n import N_

KEY_LENGTH = 10  # 23**10 ≈ 41 trillion keys
KEYED_CHANNELS = frozenset({"web", "api"})


def new_key() -> tuple[str, str]:
    """A key to give the sender, and the hash to store."""
    key = readable(KEY_LENGTH)
    return key, digest(key)


class AnswerLink(msgspec.Struct, frozen=True, kw_only=True):
    """What a mail's answer link is about, before it is used: the report as it stands."""

    tracking_code: str
    status: Status
    rating: int | None
    answerable: bool  # unused, and the report still waits for its citizen's word


async def _report(tracking_code: str) -> dict[str, Any]:
    code = normalize_code(tracking_code)
    row: dict[str, Any] | None = (
        await Report.select(
            Report.id,
            Report.tracking_code,
            Report.citizen,
            Report.follow_up_key,
            Report.status,
            Report.rating,
        )
        .where(Report.tracking_code == code)
        .first()
        if code
        else None
    )
    if row is None:
        raise report_not_found(tracking_code)
    return row


async def _answers_for(row: dict[str, Any], citizen_id: int | None) -> bool:
    """Whether the citizen may answer for the report: its sender, or a follower of the case."""
    if citizen_id is None:
        return False
    return (
        citizen_id == row["citizen"]
        or citizen_id in (await lifecycle.followers(row["id"])).values()
    )


async def new_answer_link(*, report_id: int, citizen_id: int) -> str:
    """A token for the rating and "not done" links of the mail saying a report is resolved."""
    return await new_link(report_id=report_id, citizen_id=citizen_id, purpose=ANSWER)


async def answer_link(*, tracking_code: str, token: str) -> AnswerLink:
    """What an answer link shows when opened (mail scanners open links too: nothing changes).
    LinkNotValid when it is not this report's and citizen's, or expired unused."""
    row = await _report(tracking_code)
    link = await find_link(token=token, purpose=ANSWER, report_id=row["id"])
    if not await _answers_for(row, link.citizen_id) or (link.expired and not link.used):
        raise LinkNotValid()
    return AnswerLink(
        tracking_code=row["tracking_code"],
        status=row["status"],
        rating=row["rating"],
        answerable=not link.used and row["status"] == Status.RESOLVED,
    )


async def _sender(tracking_code: str, key: str | None, link_token: str | None) -> Actor:
    """The report's sender as an actor, if `key` is the report's follow-up key, or
    `link_token` an answer link mailed to its citizen (used up here, in the caller's
    transaction)."""
    row = await _report(tracking_code)
    if link_token is not None:
        link = await use_link(token=link_token, purpose=ANSWER, report_id=row["id"])
        if not await _answers_for(row, link.citizen_id):
            raise LinkNotValid()
        return Actor(kind=ActorKind.CITIZEN, citizen_id=link.citizen_id)
    stored = row["follow_up_key"]
    if not stored or not hmac.compare_digest(stored, digest(compact(key or ""))):
        raise Forbidden(
            N_(
                "Kunci laporan tidak cocok. Kunci diberikan sekali, bersama kode pelacakan, saat "
                "laporan dikirim."
            ),
            field="key",
        )
    return Actor(kind=ActorKind.CITIZEN, citizen_id=row["citizen"])


async def confirm(
    *,
    tracking_code: str,
    key: str | None = None,
    link_token: str | None = None,
    rating: int | None,
) -> ReportRecord:
    """The sender says the report is resolved, optionally rating the answer 1–5; proven by
    the follow-up key or a mail's answer link."""
    async with write_transaction():
        actor = await _sender(tracking_code, key, link_token)
        return await lifecycle.close(tracking_code=tracking_code, actor=actor, rating=rating)


async def reopen(
    *, tracking_code: str, key: str | None = None, link_token: str | None = None, reason: str
) -> ReportRecord:
    """The sender says it is not fixed; proven as for `confirm`."""
    async with write_transaction():
        actor = await _sender(tracking_code, key, link_token)
        return await lifecycle.reopen(tracking_code=tracking_code, reason=reason, actor=actor)


async def join(*, tracking_code: str, key: str | None, into: str) -> ReportRecord:
    """The sender says "Saya juga mengalami ini": their new report joins the open case `into`
    and they follow it (core/reports/merging.py checks the case is public and open); proven by
    the follow-up key."""
    async with write_transaction():
        actor = await _sender(tracking_code, key, None)
        return await merging.merge(tracking_code=tracking_code, into=into, actor=actor)
