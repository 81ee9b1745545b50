"""Submitting a report and the public view of one. Rules on input live here, so the API, the
web form and the bot accept and refuse exactly the same things."""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec

from core import clock
from core.catalogue.departments import active_by_code
from core.catalogue.models import DepartmentRecord
from core.citizens.contacts import contact_citizen, normalize_email, normalize_phone
from core.citizens.limits import ensure_may_report
from core.errors import InvalidInput
from core.input_rules import has_control_in_text, is_email_address
from core.place.address import report_kecamatan
from core.place.boundaries import ensure_in_city
from core.reports import duplicates, emergency, merging
from core.reports.attachments import add_stored_photos, public_photo_path, stored_photo_numbers
from core.reports.disclosure import photos_published, public_place
from core.reports.follow_up import KEYED_CHANNELS, new_key
from core.reports.lifecycle import Status, notify, record_event, report_record
from core.reports.models import (
    STAFF_ONLY_EVENTS,
    DepartmentRef,
    LinkablePolicy,
    Point,
    PolicyRef,
    PublicReport,
    StoredPhoto,
    SubmittedReport,
    TimelineEntry,
)
from core.reports.tracking import new_code, normalize_code, report_not_found
from core.routing.decision import Router
from core.routing.referrals import referral
from core.service_levels.calendar import WorkingCalendar
from core.service_levels.deadlines import Stage, clock_started, deadline, working_calendar
from core.staff.actors import Actor, ActorKind
from db.engine import write_transaction
from db.tables import Citizen, Policy, Report, ReportEvent, ReportLadder
from i18n import N_

MIN_TEXT = 10
# A report is told in words: emoji, digits and punctuation alone say nothing an officer can act on.
MIN_LETTERS = 5
MAX_TEXT = 4000
STANCES = ("objection", "suggestion", "support")
# The name of each stance people read, on every channel (msgids of the i18n catalogue).
STANCE_NAMES: dict[str, str] = {
    "objection": N_("Keberatan"),
    "suggestion": N_("Saran"),
    "support": N_("Dukungan"),
}
CHANNELS = ("telegram", "web", "api", "open311")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,20}$")
_CODE_ATTEMPTS = 5


def visible_length(text: str) -> int:
    """Characters a reader sees: not spaces, not marks on another character, not format or
    control characters (zero-width spaces and joiners, byte-order marks, ...)."""
    return sum(1 for char in text if unicodedata.category(char)[0] not in "CZM")


def clean_text(text: str) -> str:
    """The one rule for a report's text, whichever door it came through."""
    cleaned = text.strip()
    if has_control_in_text(cleaned):
        raise InvalidInput(
            N_("Teks laporan berisi karakter kontrol yang tidak diizinkan."),
            field="text",
        )
    if visible_length(cleaned) < MIN_TEXT:
        raise InvalidInput(
            N_("Ceritakan masalahnya minimal %(min_text)s karakter."),
            min_text=MIN_TEXT,
            field="text",
        )
    if sum(char.isalpha() for char in cleaned) < MIN_LETTERS:
        raise InvalidInput(
            N_(
                "Ceritakan masalahnya dengan kata-kata (minimal %(min_letters)s huruf); emoji, "
                "angka dan tanda baca saja belum cukup."
            ),
            min_letters=MIN_LETTERS,
            field="text",
        )
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(
            N_("Teks laporan paling panjang %(max_text)s karakter."),
            max_text=MAX_TEXT,
            field="text",
        )
    return cleaned


def _clean_optional(value: str | None, *, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()
    if has_control_in_text(cleaned) or len(cleaned) > max_length:
        raise InvalidInput(
            N_("Isian '%(field)s' tidak valid (paling panjang %(max_length)s karakter)."),
            max_length=max_length,
            field=field,
        )
    return cleaned or None


@dataclass(frozen=True)
class Reporter:
    """Contact details a citizen chose to give. Stored in Citizen, never shown publicly."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None

    def cleaned(self) -> Reporter:
        name = _clean_optional(self.name, field="reporter.name", max_length=200)
        phone = _clean_optional(self.phone, field="reporter.phone", max_length=32)
        email = _clean_optional(self.email, field="reporter.email", max_length=254)
        if phone and not _PHONE.match(phone):
            raise InvalidInput(N_("Nomor telepon tidak valid."), field="reporter.phone")
        if email and not is_email_address(email):
            raise InvalidInput(N_("Alamat email tidak valid."), field="reporter.email")
        return Reporter(name=name, phone=normalize_phone(phone), email=normalize_email(email))


@dataclass(frozen=True)
class Location:
    """A report's point: a place on Earth, and in Kota Malang (a point outside is refused,
    naming where to report it instead: core.place.boundaries)."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not -90 <= self.latitude <= 90:
            raise InvalidInput(
                N_("Lintang harus antara -90 dan 90."),
                field="location.lat",
            )
        if not -180 <= self.longitude <= 180:
            raise InvalidInput(
                N_("Bujur harus antara -180 dan 180."),
                field="location.lon",
            )
        ensure_in_city(latitude=self.latitude, longitude=self.longitude)


def form_location(latitude: str, longitude: str) -> Location | None:
    """A point typed or picked in a form, as text: both coordinates or neither."""
    latitude, longitude = latitude.strip(), longitude.strip()
    if not latitude and not longitude:
        return None
    try:
        values = float(latitude.replace(",", ".")), float(longitude.replace(",", "."))
    except ValueError:
        values = (math.nan, math.nan)
    if not all(math.isfinite(value) for value in values):
        raise InvalidInput(
            N_("Lokasi harus berupa lintang dan bujur dalam angka desimal."), field="location"
        )
    return Location(*values)


async def linkable_policy(code: str) -> LinkablePolicy:
    """The policy a report may name: known, and not revoked."""
    policy = await Policy.select().where(Policy.code == code.strip().upper()).first()
    if policy is None:
        raise InvalidInput(N_("Kebijakan '%(code)s' tidak dikenal."), code=code, field="policy")
    if policy["status"] == "revoked":
        raise InvalidInput(
            N_("Kebijakan '%(code)s' sudah dicabut."),
            code=code,
            field="policy",
        )
    return msgspec.convert(policy, LinkablePolicy)


async def submit_report(
    *,
    text: str,
    channel: str,
    router: Router,
    anonymous: bool = False,
    confidential: bool = False,
    policy_code: str | None = None,
    stance: str | None = None,
    location: Location | None = None,
    address: str | None = None,
    reporter: Reporter | None = None,
    citizen_id: int | None = None,
    photos: Sequence[StoredPhoto] = (),
) -> SubmittedReport:
    """Store a new report with its `photos` (checked by attachments.clean_photos), route it
    (or send it to triage), and tell who must be told."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    text = clean_text(text)
    address = _clean_optional(address, field="address", max_length=300)
    reporter = reporter.cleaned() if reporter else None
    if stance is not None and stance not in STANCES:
        raise InvalidInput(
            N_("Sikap harus objection, suggestion atau support."),
            field="stance",
        )
    # A stance is never assumed: a policy named without one is linked with none, which
    # counts as no objection (an assumed one would count towards a review nobody asked for).
    policy = await linkable_policy(policy_code) if policy_code else None
    if citizen_id is None and reporter is not None:
        # A contact given on the web, the API or Open311 is one citizen, held to the same
        # limits and blocking as a Telegram account (the bot checks its own beforehand).
        citizen_id = await contact_citizen(
            channel=channel, name=reporter.name, email=reporter.email, phone=reporter.phone
        )
        if citizen_id is not None:
            await ensure_may_report(citizen_id=citizen_id)
    decision = router.decide(text)
    department = (
        (await active_by_code()).get(decision.department_code) if decision.department_code else None
    )
    calendar = await working_calendar()
    for attempt in range(_CODE_ATTEMPTS):
        try:
            submitted = await _insert_report(
                text=text,
                channel=channel,
                department=department,
                confidence=decision.confidence,
                urgent=decision.urgent,
                # A matter of an outside authority waits in triage with the authority named.
                suggested_referral=None if department else decision.refer_to,
                anonymous=anonymous,
                confidential=confidential,
                policy=policy,
                stance=stance if policy else None,
                location=location,
                address=address,
                reporter=reporter,
                citizen_id=citizen_id,
                calendar=calendar,
                photos=photos,
            )
        except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
            # A tracking code collided with an existing one: draw again.
            if attempt == _CODE_ATTEMPTS - 1:
                raise
        else:
            case = await duplicates.possible_case(
                report=msgspec.convert(msgspec.structs.asdict(submitted), duplicates.Subject)
            )
            return msgspec.structs.replace(submitted, possible_case=case)
    raise AssertionError("unreachable")


async def _insert_report(
    *,
    text: str,
    channel: str,
    department: DepartmentRecord | None,
    confidence: float | None,
    urgent: bool,
    suggested_referral: str | None,
    anonymous: bool,
    confidential: bool,
    policy: LinkablePolicy | None,
    stance: str | None,
    location: Location | None,
    address: str | None,
    reporter: Reporter | None,
    citizen_id: int | None,
    calendar: WorkingCalendar,
    photos: Sequence[StoredPhoto],
) -> SubmittedReport:
    async with write_transaction():
        moment = clock.now()
        if citizen_id is None and reporter and reporter.name:
            # A name alone tells nobody apart: it is kept with this report's own citizen.
            rows = await Citizen.insert(
                Citizen(channel=channel, name=reporter.name, created_at=moment)
            ).returning(Citizen.id)
            citizen_id = rows[0]["id"]
        if department:
            status, due = (
                Status.OPEN,
                deadline(
                    Stage.FIRST_RESPONSE,
                    start=moment,
                    calendar=calendar,
                    urgent=urgent,
                    first_response_days=department.first_response_days,
                ),
            )
        else:
            status, due = (
                Status.TRIAGE,
                deadline(Stage.TRIAGE, start=moment, calendar=calendar, urgent=urgent),
            )
        key, key_digest = new_key() if channel in KEYED_CHANNELS else (None, None)
        started = clock_started(start=moment, due=due)
        ladder = await ReportLadder.insert(
            ReportLadder(**{column._meta.name: value for column, value in started.ladder.items()})
        ).returning(ReportLadder.id)
        rows = await Report.insert(
            Report(
                tracking_code=new_code(),
                text=text,
                status=status,
                channel=channel,
                citizen=citizen_id,
                department=department.id if department else None,
                policy=policy.id if policy else None,
                stance=stance,
                anonymous=anonymous,
                confidential=confidential,
                urgent=urgent,
                latitude=location.latitude if location else None,
                longitude=location.longitude if location else None,
                address=address,
                kecamatan=report_kecamatan(
                    latitude=location.latitude if location else None,
                    longitude=location.longitude if location else None,
                    address=address,
                    text=text,
                ),
                confidence=confidence,
                suggested_referral=suggested_referral,
                created_at=moment,
                updated_at=moment,
                due_at=due,
                ladder=ladder[0]["id"],
                follow_up_key=key_digest,
            )
        ).returning(*Report.all_columns(exclude=[Report.follow_up_key]))
        report = report_record(rows[0])
        await add_stored_photos(report_id=report.id, photos=photos)
        event_id = await record_event(
            report_id=report.id,
            kind="submitted",
            from_status=None,
            to_status=status,
            actor=Actor(kind=ActorKind.CITIZEN, citizen_id=citizen_id),
            department_id=report.department,
            public_note=None,
            detail={"channel": channel, "confidence": confidence},
            moment=moment,
        )
        alerted = await notify(
            report=report,
            event_id=event_id,
            event="submitted",
            notify_citizen=True,
            notify_department=True,
            note=None,
        )
        if urgent:
            await emergency.watch(report=report, waiting=True, moment=moment)
    # Given to the sender once (web page, API response); only its hash is stored.
    return SubmittedReport(
        **msgspec.structs.asdict(report),
        follow_up_key=key,
        routed_to=DepartmentRef(code=department.code, name=department.name) if department else None,
        alerted=alerted,
    )


async def public_report(tracking_code: str) -> PublicReport:
    """What anyone holding the tracking code may see: no personal data, the place as
    core.reports.disclosure allows, and for a confidential report not even its text."""
    code = normalize_code(tracking_code)
    report = (
        await Report.select(
            *Report.all_columns(exclude=[Report.citizen]),
            Report.department.code.as_alias("department_code"),
            Report.department.name.as_alias("department_name"),
            Report.policy.code.as_alias("policy_code"),
            Report.policy.title.as_alias("policy_title"),
            Report.merged_into.tracking_code.as_alias("merged_into_code"),
        )
        .where(Report.tracking_code == code)
        .first()
        if code
        else None
    )
    if report is None:
        raise report_not_found(tracking_code)
    events = (
        await ReportEvent.select(
            ReportEvent.kind,
            ReportEvent.to_status,
            ReportEvent.public_note,
            ReportEvent.created_at,
            ReportEvent.department.code.as_alias("department_code"),
            ReportEvent.department.name.as_alias("department_name"),
        )
        .where(
            (ReportEvent.report == report["id"])
            & ReportEvent.kind.not_in(sorted(STAFF_ONLY_EVENTS))
        )
        .order_by(ReportEvent.id)
    )
    hidden = report["confidential"]
    place = public_place(report)
    photo_numbers = (
        await stored_photo_numbers(report_id=report["id"]) if photos_published(report) else []
    )
    return PublicReport(
        tracking_code=report["tracking_code"],
        status=Status(report["status"]),
        department=_department_ref(report),
        urgent=report["urgent"],
        created_at=report["created_at"],
        due_at=report["due_at"],
        text=None if hidden else report["text"],
        address=place.address,
        location=None
        if place.latitude is None or place.longitude is None
        else Point(lat=place.latitude, lon=place.longitude),
        policy=PolicyRef(code=report["policy_code"], title=report["policy_title"])
        if report["policy_code"]
        else None,
        stance=report["stance"],
        rating=report["rating"],
        timeline=[
            TimelineEntry(
                event=event["kind"],
                status=Status(event["to_status"]) if event["to_status"] else None,
                at=event["created_at"],
                department=_department_ref(event),
                note=None if hidden else event["public_note"],
            )
            for event in events
        ],
        photos=[public_photo_path(report["tracking_code"], number) for number in photo_numbers],
        referred_to=referral(report["referred_to"]),
        suggested_referral=referral(report["suggested_referral"])
        if report["status"] == Status.TRIAGE
        else None,
        reporters=await merging.reporters(report["id"]),
        merged_into=report["merged_into_code"],
    )


def _department_ref(row: dict[str, Any]) -> DepartmentRef | None:
    if not row["department_code"]:
        return None
    return DepartmentRef(code=row["department_code"], name=row["department_name"])
