"""Open311 GeoReport v2 over the city's reports: the service catalogue, submission and the
public view of requests. http://wiki.open311.org/GeoReport_v2

- One service per active department (its code, name and scope as keywords), and one general
  service, UMUM, for a client that does not know which department handles a problem. The
  routing decision stays the product's own: a submission goes through the same router as
  every other channel, so `service_code` in a request is the department that has the report
  now (UMUM while it waits in triage), not necessarily the one the client asked for.
- `status` is `open` while the city owes an answer (triage, open, in progress) and `closed`
  once it has given one (resolved, closed, rejected, referred); `status_notes` is the latest
  public note of the timeline, `expected_datetime` the deadline the report is held to now.
- Confidential reports never appear; an anonymous one has no address and its location only
  to about 100 m (core/reports/disclosure.py, as on the public tracking page); no personal data
  appears at all.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

import msgspec

from config import settings
from core import clock
from core.errors import Forbidden, InvalidInput, NotFound
from core.input_rules import refuse_far_date, web_address
from core.integrations.api_keys import authenticate_api_key
from core.integrations.models import (
    Open311Attribute,
    Open311AttributeValue,
    Open311Created,
    Open311Discovery,
    Open311Endpoint,
    Open311Query,
    Open311Service,
    Open311ServiceDefinition,
    Open311ServiceRequest,
    Open311Submission,
    Open311Token,
)
from core.reports.attachments import first_stored_photos, public_photo_path
from core.reports.disclosure import photos_published, public_place
from core.reports.intake import STANCE_NAMES, STANCES, Location, Reporter, submit_report
from core.reports.lifecycle import ACTIVE, Status
from core.reports.tracking import normalize_code
from core.routing.decision import Router
from core.service_levels.deadlines import (
    FIELD_WORK_DAYS,
    FIRST_RESPONSE_DAYS,
    RESOLUTION_DAYS,
    TRIAGE_DAYS,
    URGENT_FIRST_RESPONSE,
)
from db.tables import Department, Open311Request, Report, ReportEvent
from i18n import N_, gettext, pgettext

JURISDICTION_ID = "malangkota.go.id"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the service list or this implementation last changed in a way clients should notice.
CHANGESET = "2026-11-28T00:00:00+07:00"
GENERAL_SERVICE = "UMUM"
MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
MAX_IDS = 100
OPEN: Final = "open"
CLOSED: Final = "closed"
_STATUS_GROUPS = {
    OPEN: tuple(ACTIVE),
    CLOSED: (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.MERGED),
}
_YES_NO = ("true", "false")
_URGENT_HOURS = int(URGENT_FIRST_RESPONSE.total_seconds() // 3600)


def open311_status(status: str) -> Literal["open", "closed"]:
    return OPEN if status in ACTIVE else CLOSED


# -- services ------------------------------------------------------------------------------


def _keywords(scope: str) -> str | None:
    words = [part.strip() for part in scope.split(",") if part.strip()]
    return ", ".join(words) or None


def _general_service(language: str) -> Open311Service:
    return Open311Service(
        service_code=GENERAL_SERVICE,
        service_name=gettext(language, "Laporan umum"),
        description=gettext(
            language,
            "Untuk masalah apa pun di Kota Malang bila perangkat daerahnya belum diketahui: "
            "sistem atau verifikator meneruskannya ke perangkat daerah yang tepat.",
        ),
        metadata=True,
        type="realtime",
        keywords=None,
        group=None,
    )


def _department_service(department: dict[str, Any]) -> Open311Service:
    dimensions = department["dimensions"] or []
    return Open311Service(
        service_code=department["code"],
        service_name=department["name"],
        description=department["scope"],
        metadata=True,
        type="realtime",
        keywords=_keywords(department["scope"]),
        group=dimensions[0] if dimensions else None,
    )


async def _active_departments() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await Department.select()
        .where(Department.active == True)  # noqa: E712
        .order_by(Department.code)
        .output(load_json=True)
    )
    return rows


async def list_services(*, language: str) -> list[Open311Service]:
    return [
        _general_service(language),
        *(_department_service(row) for row in await _active_departments()),
    ]


async def _service_department(service_code: str) -> dict[str, Any] | None:
    """The active department behind `service_code`; None for the general service."""
    code = service_code.strip().upper()
    if code == GENERAL_SERVICE:
        return None
    row = (
        await Department.select()
        .where((Department.code == code) & (Department.active == True))  # noqa: E712
        .first()
    )
    if row is None:
        raise NotFound(
            N_("service_code '%(service_code)s' tidak dikenal."),
            service_code=service_code,
            field="service_code",
        )
    return row


def _yes_no(language: str) -> list[Open311AttributeValue]:
    return [
        Open311AttributeValue(key="true", name=gettext(language, "Ya")),
        Open311AttributeValue(key="false", name=gettext(language, "Tidak")),
    ]


def _service_level_text(department: dict[str, Any] | None, language: str) -> str:
    if department is None:
        return gettext(
            language,
            "Verifikator meneruskan laporan dalam %(triage)s hari kerja; perangkat daerah lalu "
            "menanggapi dalam %(first)s hari kerja. Laporan darurat (kebakaran, banjir, bahaya "
            "jiwa) ditanggapi dalam %(urgent)s jam.",
            triage=TRIAGE_DAYS,
            first=FIRST_RESPONSE_DAYS,
            urgent=_URGENT_HOURS,
        )
    first = department["first_response_days"] or FIRST_RESPONSE_DAYS
    resolution = department["resolution_days"] or RESOLUTION_DAYS
    return gettext(
        language,
        "Tanggapan pertama paling lambat %(first)s hari kerja, penyelesaian %(resolution)s hari "
        "kerja (%(field_work)s bila perlu pekerjaan lapangan). Laporan darurat ditanggapi dalam "
        "%(urgent)s jam.",
        first=first,
        resolution=resolution,
        field_work=FIELD_WORK_DAYS,
        urgent=_URGENT_HOURS,
    )


async def service_definition(*, service_code: str, language: str) -> Open311ServiceDefinition:
    department = await _service_department(service_code)
    stances = {stance: gettext(language, name) for stance, name in STANCE_NAMES.items()}
    attributes = [
        Open311Attribute(
            variable=False,
            code="service_level",
            datatype="text",
            required=False,
            datatype_description=None,
            order=1,
            description=_service_level_text(department, language),
        ),
        Open311Attribute(
            variable=True,
            code="anonymous",
            datatype="singlevaluelist",
            required=False,
            datatype_description=None,
            order=2,
            description=gettext(
                language, "Anonim: alamat pelapor tidak ditampilkan kepada publik."
            ),
            values=_yes_no(language),
        ),
        Open311Attribute(
            variable=True,
            code="confidential",
            datatype="singlevaluelist",
            required=False,
            datatype_description=None,
            order=3,
            description=gettext(
                language,
                "Rahasia: laporan hanya dilihat petugas, tidak tampil di publik maupun Open311.",
            ),
            values=_yes_no(language),
        ),
        Open311Attribute(
            variable=True,
            code="policy",
            datatype="string",
            required=False,
            datatype_description=gettext(language, "Kode kebijakan dari /api/v1/policies"),
            order=4,
            description=gettext(
                language,
                "Kebijakan kota yang dilaporkan, bila laporan ini tentang sebuah kebijakan.",
            ),
        ),
        Open311Attribute(
            variable=True,
            code="stance",
            datatype="singlevaluelist",
            required=False,
            datatype_description=None,
            order=5,
            description=gettext(
                language,
                "Sikap terhadap kebijakan tersebut; tanpa sikap, laporan tidak dihitung "
                "sebagai keberatan.",
            ),
            values=[Open311AttributeValue(key=key, name=name) for key, name in stances.items()],
        ),
    ]
    return Open311ServiceDefinition(
        service_code=department["code"] if department else GENERAL_SERVICE,
        attributes=attributes,
    )


def discovery(*, endpoint_url: str) -> Open311Discovery:
    return Open311Discovery(
        changeset=CHANGESET,
        contact="Dinas Komunikasi dan Informatika Kota Malang, https://malangkota.go.id",
        key_service="Kunci API diterbitkan oleh admin platform ingatkan (Diskominfo). "
        "API keys are issued by the ingatkan platform's administrator (Diskominfo).",
        endpoints=[
            Open311Endpoint(
                specification=SPECIFICATION,
                url=endpoint_url,
                changeset=CHANGESET,
                type="production",
                formats=["application/json", "text/xml"],
            )
        ],
    )


def check_jurisdiction(jurisdiction_id: str | None) -> None:
    """The endpoint serves one jurisdiction; naming another is an error, naming none is fine."""
    if jurisdiction_id and jurisdiction_id.strip().lower() != JURISDICTION_ID:
        raise NotFound(
            N_(
                "jurisdiction_id '%(jurisdiction_id)s' tidak dilayani di sini; gunakan "
                "'%(served)s'."
            ),
            jurisdiction_id=jurisdiction_id,
            served=JURISDICTION_ID,
            field="jurisdiction_id",
        )


# -- submission ----------------------------------------------------------------------------


def _coordinate(raw: str, field: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(N_("%(field)s harus berupa angka."), field=field)
    return value


def _location(submission: Open311Submission) -> Location | None:
    lat, long = (submission.lat or "").strip(), (submission.long or "").strip()
    if lat or long:
        if not (lat and long):
            raise InvalidInput(N_("lat dan long harus dikirim bersama."), field="lat")
        try:
            return Location(_coordinate(lat, "lat"), _coordinate(long, "long"))
        except InvalidInput as error:
            # Location names its fields as the JSON API does; Open311 calls them lat and long.
            field = "long" if error.field in {"long", "location.lon"} else "lat"
            raise InvalidInput(error.msgid, field=field, **error.values) from None
    if (submission.address_string or "").strip():
        return None
    if (submission.address_id or "").strip():
        raise InvalidInput(
            N_(
                "Kota Malang belum punya daftar address_id; kirim lat dan long atau address_string."
            ),
            field="address_id",
        )
    raise InvalidInput(
        N_("Lokasi wajib diisi: lat dan long, atau address_string."),
        field="lat",
    )


class _Choices(msgspec.Struct, frozen=True, kw_only=True):
    anonymous: bool = False
    confidential: bool = False
    policy: str | None = None
    stance: str | None = None


def _choices(attributes: tuple[tuple[str, str], ...]) -> _Choices:
    values: dict[str, str] = {}
    for code, value in attributes:
        field = f"attribute[{code}]"
        if code not in {"anonymous", "confidential", "policy", "stance"}:
            raise InvalidInput(
                N_("%(field)s tidak dikenal untuk layanan ini."),
                field=field,
            )
        if code in values:
            raise InvalidInput(N_("%(field)s dikirim lebih dari sekali."), field=field)
        values[code] = value.strip()
    for code in ("anonymous", "confidential"):
        if code in values and values[code].lower() not in _YES_NO:
            raise InvalidInput(
                N_("attribute[%(code)s] harus true atau false."),
                code=code,
                field=f"attribute[{code}]",
            )
    if "stance" in values and values["stance"] not in STANCES:
        raise InvalidInput(
            N_("attribute[stance] harus salah satu dari %(choices)s."),
            choices=", ".join(STANCES),
            field="attribute[stance]",
        )
    if values.get("stance") and not values.get("policy"):
        raise InvalidInput(
            N_("attribute[stance] hanya berlaku bersama attribute[policy]."),
            field="attribute[stance]",
        )
    return _Choices(
        anonymous=values.get("anonymous", "").lower() == "true",
        confidential=values.get("confidential", "").lower() == "true",
        policy=values.get("policy") or None,
        stance=values.get("stance") or None,
    )


def _reporter(submission: Open311Submission) -> Reporter:
    name = " ".join(
        part.strip() for part in (submission.first_name, submission.last_name) if part
    ).strip()
    return Reporter(name=name or None, phone=submission.phone, email=submission.email)


async def submit_request(
    *, api_key: str | None, submission: Open311Submission, router: Router, language: str
) -> Open311Created:
    """POST requests: store the report through the same intake as every channel. Returns the
    service request id (the tracking code) at once, and a token for tokens/{token}."""
    key = await authenticate_api_key(api_key)
    if key is None:
        raise Forbidden(N_("api_key tidak ada atau tidak valid."), field="api_key")
    if not (submission.service_code or "").strip():
        raise InvalidInput(N_("service_code wajib diisi."), field="service_code")
    department = await _service_department(submission.service_code or "")
    if not (submission.description or "").strip():
        raise InvalidInput(
            N_("description wajib diisi: ceritakan masalahnya."),
            field="description",
        )
    location = _location(submission)
    media_url = web_address(submission.media_url, field="media_url")
    choices = _choices(submission.attributes)
    try:
        report = await submit_report(
            text=submission.description or "",
            channel="open311",
            router=router,
            anonymous=choices.anonymous,
            confidential=choices.confidential,
            policy_code=choices.policy,
            stance=choices.stance,
            location=location,
            address=submission.address_string,
            reporter=_reporter(submission),
        )
    except InvalidInput as error:
        raise InvalidInput(
            error.msgid, field=_OPEN311_FIELDS.get(error.field or ""), **error.values
        ) from None
    token = secrets.token_urlsafe(18)
    # Written after the report's own transaction, which retries on a tracking-code collision
    # (a retry inside an outer PostgreSQL transaction would find it aborted).
    await Open311Request.insert(
        Open311Request(
            report=report.id,
            token=token,
            api_key=key.id,
            service_code=department["code"] if department else GENERAL_SERVICE,
            media_url=media_url,
            created_at=clock.now(),
        )
    )
    department_name = None
    if report.department is not None:
        row = await Department.select(Department.name).where(Department.id == report.department)
        department_name = row[0]["name"]
    notice = _notice(
        report.status,
        report.due_at,
        department_name,
        language=language,
        tz=settings.current().tz,
    )
    return Open311Created(
        service_request_id=report.tracking_code, token=token, service_notice=notice or None
    )


# The intake's field names, as an Open311 client knows them.
_OPEN311_FIELDS = {
    "text": "description",
    "address": "address_string",
    "policy": "attribute[policy]",
    "stance": "attribute[stance]",
    "reporter.name": "first_name",
    "reporter.phone": "phone",
    "reporter.email": "email",
}


# -- the public view of requests -----------------------------------------------------------


def _datetime(raw: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(
            N_("%(field)s harus berupa tanggal-waktu W3C, mis. 2026-01-31T08:00:00+07:00."),
            field=field,
        ) from None
    refuse_far_date(value, field=field)
    if value.tzinfo is None:  # a local time in the city
        value = value.replace(tzinfo=settings.current().tz)
    return value


def parse_query(
    *,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
) -> Open311Query:
    """GET requests' filters, checked. Several ids override every other filter; without
    dates the last 90 days are searched, and a range may span at most 90 days."""
    if service_request_id and service_request_id.strip():
        ids = tuple(dict.fromkeys(part.strip() for part in service_request_id.split(",")))
        ids = tuple(part for part in ids if part)
        if len(ids) > MAX_IDS:
            raise InvalidInput(
                N_("Paling banyak %(max_ids)s service_request_id sekaligus."),
                max_ids=MAX_IDS,
                field="service_request_id",
            )
        return Open311Query(ids=ids)
    statuses: list[str] = []
    for part in (status or "").split(","):
        value = part.strip().lower()
        if not value:
            continue
        if value not in _STATUS_GROUPS:
            raise InvalidInput(N_("status harus open atau closed."), field="status")
        statuses.append(value)
    start = _datetime(start_date, "start_date") if start_date and start_date.strip() else None
    end = _datetime(end_date, "end_date") if end_date and end_date.strip() else None
    if start and end and end < start:
        raise InvalidInput(
            N_("end_date harus sesudah start_date."),
            field="end_date",
        )
    if start and end and end - start > MAX_SPAN:
        raise InvalidInput(
            N_("Rentang start_date sampai end_date paling lama %(days)s hari."),
            days=MAX_SPAN.days,
            field="end_date",
        )
    end = end or (start + MAX_SPAN if start else clock.now())
    start = start or end - MAX_SPAN
    return Open311Query(
        service_code=(service_code or "").strip().upper() or None,
        start=start,
        end=end,
        statuses=tuple(dict.fromkeys(statuses)),
    )


_REQUEST_COLUMNS = (
    Report.id,
    Report.tracking_code,
    Report.status,
    Report.text,
    Report.anonymous,
    Report.confidential,
    Report.address,
    Report.latitude,
    Report.longitude,
    Report.created_at,
    Report.updated_at,
    Report.due_at,
    Report.department.code.as_alias("department_code"),
    Report.department.name.as_alias("department_name"),
)


async def find_requests(query: Open311Query, *, language: str) -> list[Open311ServiceRequest]:
    """GET requests: newest first, at most 1000."""
    select = Report.select(*_REQUEST_COLUMNS).where(Report.confidential == False)  # noqa: E712
    if query.ids:
        codes = [code for code in (normalize_code(raw) for raw in query.ids) if code]
        if not codes:
            return []
        select = select.where(Report.tracking_code.is_in(codes))
    else:
        assert query.start and query.end
        select = select.where((Report.created_at >= query.start) & (Report.created_at <= query.end))
        if query.statuses:
            wanted = [status for group in query.statuses for status in _STATUS_GROUPS[group]]
            select = select.where(Report.status.is_in(wanted))
        if query.service_code:
            department = await _filter_department(query.service_code)
            select = select.where(
                Report.department.is_null()
                if department is None
                else Report.department == department["id"]
            )
    rows = (
        await select.order_by(Report.created_at, ascending=False)
        .order_by(Report.id, ascending=False)
        .limit(MAX_RESULTS)
    )
    return await _as_requests(rows, language=language)


async def _filter_department(service_code: str) -> dict[str, Any] | None:
    if service_code == GENERAL_SERVICE:
        return None
    # A filter may name a department that no longer takes reports: its old reports remain.
    row = await Department.select(Department.id).where(Department.code == service_code).first()
    if row is None:
        raise InvalidInput(
            N_("service_code '%(service_code)s' tidak dikenal."),
            service_code=service_code,
            field="service_code",
        )
    return row


async def get_request(*, service_request_id: str, language: str) -> Open311ServiceRequest:
    code = normalize_code(service_request_id)
    rows = (
        await Report.select(*_REQUEST_COLUMNS).where(
            (Report.tracking_code == code) & (Report.confidential == False)  # noqa: E712
        )
        if code
        else []
    )
    if not rows:
        raise NotFound(
            N_("Permintaan '%(service_request_id)s' tidak ditemukan."),
            service_request_id=service_request_id,
            field="service_request_id",
        )
    return (await _as_requests(rows, language=language))[0]


async def resolve_token(*, token: str) -> Open311Token:
    row = (
        await Open311Request.select(Open311Request.report.tracking_code.as_alias("code"))
        .where(
            (Open311Request.token == token.strip()) & (Open311Request.report.confidential == False)  # noqa: E712
        )
        .first()
        if token.strip() and len(token) <= 40
        else None
    )
    if row is None:
        raise NotFound(N_("Token '%(token)s' tidak ditemukan."), token=token, field="token")
    return Open311Token(service_request_id=row["code"], token=token.strip())


def _w3c(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """W3C date-time in the city's time, as the standard's examples give them."""
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def _notice(
    status: str,
    due_at: datetime | None,
    department_name: str | None,
    *,
    language: str,
    tz: ZoneInfo,
) -> str | None:
    """What the city will do next, and by when."""
    due = due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if due_at else None
    who = department_name or pgettext(language, "open311.who", "Perangkat daerah")
    if status == Status.TRIAGE and due:
        return gettext(
            language,
            "Verifikator meneruskan laporan ke perangkat daerah paling lambat %(due)s.",
            due=due,
        )
    if status == Status.OPEN and due:
        return gettext(language, "%(who)s menanggapi paling lambat %(due)s.", who=who, due=due)
    if status == Status.IN_PROGRESS and due:
        return gettext(
            language, "%(who)s menargetkan penyelesaian paling lambat %(due)s.", who=who, due=due
        )
    if status == Status.RESOLVED:
        return gettext(language, "Sudah dijawab; pelapor diminta mengonfirmasi.")
    return None


async def _as_requests(rows: list[dict[str, Any]], *, language: str) -> list[Open311ServiceRequest]:
    ids = [row["id"] for row in rows]
    notes: dict[int, str] = {}
    media: dict[int, str | None] = {}
    if ids:
        for event in (
            await ReportEvent.select(ReportEvent.report, ReportEvent.public_note)
            .where(ReportEvent.report.is_in(ids) & ReportEvent.public_note.is_not_null())
            .order_by(ReportEvent.id)
        ):
            notes[event["report"]] = event["public_note"]  # the last one wins
        for submitted in await Open311Request.select(
            Open311Request.report, Open311Request.media_url
        ).where(Open311Request.report.is_in(ids)):
            media[submitted["report"]] = submitted["media_url"]
        # A photo kept here is served here: media_url is the first one, where its report's
        # photos are published.
        public_url = settings.current().public_url.rstrip("/")
        codes = {row["id"]: row["tracking_code"] for row in rows if photos_published(row)}
        for first in await first_stored_photos(report_ids=list(codes)):
            media[first.report_id] = public_url + public_photo_path(
                codes[first.report_id], first.number
            )
    general = _general_service(language).service_name
    tz = settings.current().tz
    places = {row["id"]: public_place(row) for row in rows}
    return [
        Open311ServiceRequest(
            service_request_id=row["tracking_code"],
            status=open311_status(row["status"]),
            status_notes=notes.get(row["id"]),
            service_name=row["department_name"] or general,
            service_code=row["department_code"] or GENERAL_SERVICE,
            description=row["text"],
            agency_responsible=row["department_name"],
            service_notice=_notice(
                row["status"], row["due_at"], row["department_name"], language=language, tz=tz
            ),
            requested_datetime=_w3c(row["created_at"], tz),
            updated_datetime=_w3c(row["updated_at"], tz),
            expected_datetime=_w3c(row["due_at"], tz),
            address=places[row["id"]].address,
            address_id=None,
            zipcode=None,
            lat=places[row["id"]].latitude,
            long=places[row["id"]].longitude,
            media_url=media.get(row["id"]),
        )
        for row in rows
    ]
