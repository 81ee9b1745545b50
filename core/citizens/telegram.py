"""Citizens who talk to the city through Telegram: finding or creating them, their language,
their own reports, following a report made elsewhere; and blocking any citizen (a Telegram
account, or a web, API or Open311 contact) by one of their reports. The limits on reports are
in core/citizens/limits.py.

Following a web, API or Open311 report in Telegram (`follow_report`, the bot's `/start
<code>`) makes the report the chat's citizen's own, as if made in Telegram: its updates go to
that chat, once each (the contact it was sent with hears no more of it), and the chat may rate
it or say it is not done. Citizens are never merged: the sender's contact keeps its other
reports, and a chat's citizen keeps its own.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from typing import Any

import asyncpg

from core import clock
from core.catalogue.public import list_departments
from core.citizens.limits import ensure_may_report
from core.citizens.mail import LinkNotValid
from core.citizens.models import (
    OwnReport,
    OwnReportStatus,
    PlacedReport,
    RoutingPreview,
    TelegramCitizen,
)
from core.errors import Forbidden, InvalidInput, NotFound
from core.place.address import report_kecamatan
from core.reports.attachments import MAX_PHOTOS, add_telegram_photos, too_many_photos
from core.reports.intake import Location, submit_report
from core.reports.lifecycle import ACTIVE
from core.reports.models import SubmittedReport
from core.reports.one_time_links import FOLLOW, new_link, use_link
from core.reports.tracking import normalize_code
from core.routing.decision import Router
from core.staff.actors import Actor, ActorKind
from core.staff.permissions import require_admin
from db.engine import write_transaction
from db.tables import Citizen, Report, ReportAttachment
from i18n import N_

LANGUAGES = ("id", "en")
MY_REPORTS_LIMIT = 10


def language_from_telegram(language_code: str | None) -> str:
    """A new citizen's language from their Telegram app's (an IETF tag such as 'en-GB'):
    English for English, Indonesian for every other, the city's language."""
    return "en" if (language_code or "").lower().split("-")[0] == "en" else "id"


async def telegram_citizen(*, chat_id: int, language_code: str | None = None) -> TelegramCitizen:
    """The citizen behind a private Telegram chat, created on first contact in the language of
    their Telegram app; from then on their language is the one stored (and chosen)."""
    query = Citizen.select(Citizen.id, Citizen.language, Citizen.blocked).where(
        Citizen.telegram_chat_id == chat_id
    )
    row = await query.first()
    if row is None:
        # When the same citizen's other message creates the row first, use that one.
        with contextlib.suppress(asyncpg.UniqueViolationError, sqlite3.IntegrityError):
            (row,) = await Citizen.insert(
                Citizen(
                    channel="telegram",
                    telegram_chat_id=chat_id,
                    language=language_from_telegram(language_code),
                    created_at=clock.now(),
                )
            ).returning(Citizen.id, Citizen.language, Citizen.blocked)
        row = row or await query.first()
        assert row is not None  # inserted above, by this call or the one it raced
    return TelegramCitizen(id=row["id"], language=row["language"], blocked=bool(row["blocked"]))


async def set_language(*, citizen_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(N_("Bahasa harus 'id' atau 'en'."), field="language")
    await Citizen.update({Citizen.language: language}).where(Citizen.id == citizen_id)


async def set_blocked(*, tracking_code: str, blocked: bool, actor: Actor) -> int:
    """Block (or unblock) the citizen who sent a report, and so every later report from the
    same Telegram account or contact (core/citizens/contacts.py); returns the citizen's id."""
    require_admin(actor)
    code = normalize_code(tracking_code)
    report = (
        await Report.select(Report.citizen).where(Report.tracking_code == code).first()
        if code
        else None
    )
    if report is None or report["citizen"] is None:
        raise NotFound(
            N_("Tidak ada warga yang terkait dengan laporan '%(tracking_code)s'."),
            tracking_code=tracking_code,
            field="tracking_code",
        )
    citizen_id: int = report["citizen"]
    await Citizen.update({Citizen.blocked: blocked}).where(Citizen.id == citizen_id)
    return citizen_id


async def routing_preview(*, text: str, router: Router) -> RoutingPreview:
    """Where a report will go, told to the citizen before they send it."""
    decision = router.decide(text)
    department = None
    if decision.department_code:
        active = {one.code: one for one in await list_departments()}
        department = active.get(decision.department_code)
    return RoutingPreview(
        department_code=department.code if department else None,
        department_name=department.name if department else None,
        urgent=decision.urgent,
        refer_to=None if department else decision.refer_to,
    )


async def submit_citizen_report(
    *,
    citizen_id: int,
    text: str,
    router: Router,
    anonymous: bool,
    confidential: bool,
    policy_code: str | None,
    stance: str | None,
    location: Location | None,
    address: str | None,
    photo_file_ids: Sequence[str],
) -> SubmittedReport:
    """A report from a known citizen, within the limits, with its photos."""
    await ensure_may_report(citizen_id=citizen_id)
    report = await submit_report(
        text=text,
        channel="telegram",
        router=router,
        citizen_id=citizen_id,
        anonymous=anonymous,
        confidential=confidential,
        policy_code=policy_code,
        stance=stance,
        location=location,
        address=address,
    )
    # Not in the report's transaction: submit_report retries on a tracking-code collision,
    # which an enclosing PostgreSQL transaction would not survive.
    if photo_file_ids:
        async with write_transaction():
            await add_telegram_photos(report_id=report.id, file_ids=photo_file_ids)
    return report


async def own_reports(*, citizen_id: int, limit: int = MY_REPORTS_LIMIT) -> list[OwnReport]:
    """A citizen's latest reports, newest first."""
    rows = (
        await Report.select(
            Report.tracking_code,
            Report.status,
            Report.text,
            Report.created_at,
            Report.due_at,
            Report.department.short_name.as_alias("department_short_name"),
        )
        .where(Report.citizen == citizen_id)
        .order_by(Report.id, ascending=False)
        .limit(limit)
    )
    return [OwnReport(**row) for row in rows]


async def owns_report(*, citizen_id: int, tracking_code: str) -> OwnReportStatus | None:
    """The citizen's own report with this code, or None."""
    code = normalize_code(tracking_code)
    if not code:
        return None
    row = (
        await Report.select(Report.tracking_code, Report.status)
        .where((Report.tracking_code == code) & (Report.citizen == citizen_id))
        .first()
    )
    return None if row is None else OwnReportStatus(**row)


async def new_follow_code(*, report_id: int, citizen_id: int | None) -> str:
    """The one-time start code of a "follow in Telegram" link for the report's sender
    (`citizen_id`, None for a sender who left no contact)."""
    return await new_link(report_id=report_id, citizen_id=citizen_id, purpose=FOLLOW)


async def follow_report(*, code: str, actor: Actor) -> OwnReportStatus:
    """The Telegram citizen `actor` follows the report of a start code: from now on it is
    theirs. LinkNotValid when the code is unknown, used, expired, or the report has moved
    since the code was made (followed in another chat)."""
    if actor.kind is not ActorKind.CITIZEN or actor.citizen_id is None:
        raise Forbidden(N_("Hanya warga yang dapat mengikuti laporan."))
    async with write_transaction():
        link = await use_link(token=code, purpose=FOLLOW)
        report = (
            await Report.select(Report.tracking_code, Report.status, Report.citizen)
            .where(Report.id == link.report_id)
            .first()
        )
        if report is None or report["citizen"] not in (link.citizen_id, actor.citizen_id):
            raise LinkNotValid()
        await Report.update({Report.citizen: actor.citizen_id}).where(Report.id == link.report_id)
    return OwnReportStatus(tracking_code=report["tracking_code"], status=report["status"])


async def _sent_report(*, citizen_id: int, text: str, refusal: InvalidInput) -> dict[str, Any]:
    """An urgent report sent before any question (bot/flow.py), to add to: the citizen's
    latest report, only if it is the one with `text` and still with the city."""
    report = (
        await Report.select(Report.id, Report.tracking_code, Report.text, Report.status)
        .where(Report.citizen == citizen_id)
        .order_by(Report.id, ascending=False)
        .first()
    )
    if report is None or report["text"] != text or report["status"] not in ACTIVE:
        raise refusal
    return report


async def add_photo_to_sent_report(*, citizen_id: int, text: str, file_id: str) -> str:
    """A photo sent right after an urgent report went out, added to it, up to MAX_PHOTOS
    photos. Its tracking code."""
    async with write_transaction():
        report = await _sent_report(
            citizen_id=citizen_id,
            text=text,
            refusal=InvalidInput(
                N_("Foto tidak dapat ditambahkan lagi ke laporan ini."), field="photos"
            ),
        )
        count = await ReportAttachment.count().where(ReportAttachment.report == report["id"])
        if count >= MAX_PHOTOS:
            raise too_many_photos()
        await add_telegram_photos(report_id=report["id"], file_ids=[file_id])
    code: str = report["tracking_code"]
    return code


async def locate_sent_report(*, citizen_id: int, text: str, location: Location) -> PlacedReport:
    """A location shared right after an urgent report went out becomes its point (checked in
    Kota Malang by `Location`, as at intake), with the kecamatan it lies in."""
    kecamatan = report_kecamatan(
        latitude=location.latitude, longitude=location.longitude, address=None
    )
    async with write_transaction():
        report = await _sent_report(
            citizen_id=citizen_id,
            text=text,
            refusal=InvalidInput(
                N_("Lokasi tidak dapat ditambahkan lagi ke laporan ini."), field="location"
            ),
        )
        await Report.update(
            {
                Report.latitude: location.latitude,
                Report.longitude: location.longitude,
                Report.kecamatan: kecamatan,
                Report.updated_at: clock.now(),
            }
        ).where(Report.id == report["id"])
    return PlacedReport(tracking_code=report["tracking_code"], kecamatan=kecamatan)
