"""Reports as CSV for leadership and admins: filtered by department, status and the city's
dates of submission, and produced page by page, so a million rows take the memory of one page.

Pages follow the primary key (keyset pagination: `id > last id`, by id), which works the same
on SQLite and PostgreSQL, costs one index range per page however deep the export is, and holds
no connection or transaction open while the client reads. Content follows the public rules,
because a file leaves the system: nothing about the reporter, no text or place of a
confidential report, an anonymous one's location only to about 100 m and no address
(core/reports/disclosure.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta, tzinfo

import msgspec

from config import settings
from core.errors import InvalidInput
from core.figures.models import ExportFilters, ExportRow
from core.input_rules import refuse_far_date
from core.reports.disclosure import public_place
from core.reports.lifecycle import Status
from db.tables import Department, Report
from i18n import N_

PAGE_SIZE = 5000
COLUMNS = (
    "tracking_code", "created_at", "status", "merged_into", "department", "channel", "urgent",
    "anonymous", "confidential", "policy", "stance", "due_at", "first_response_at", "resolved_at",
    "closed_at", "escalation_level", "reopen_count", "reroute_count", "rating", "confidence",
    "latitude", "longitude", "address", "text",
)  # fmt: skip
# A cell a spreadsheet would run as a formula (CSV injection) is given a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SELECT = (
    Report.id,
    Report.tracking_code,
    Report.created_at,
    Report.status,
    Report.channel,
    Report.urgent,
    Report.anonymous,
    Report.confidential,
    Report.stance,
    Report.due_at,
    Report.first_response_at,
    Report.resolved_at,
    Report.closed_at,
    Report.ladder.level.as_alias("escalation_level"),
    Report.reopen_count,
    Report.reroute_count,
    Report.rating,
    Report.confidence,
    Report.latitude,
    Report.longitude,
    Report.address,
    Report.text,
    Report.department.code.as_alias("department_code"),
    Report.policy.code.as_alias("policy_code"),
    Report.merged_into.tracking_code.as_alias("merged_into_code"),
)


def _day(raw: str | None, field: str) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(N_("%(field)s: tanggal YYYY-MM-DD."), field=field) from None
    refuse_far_date(day, field=field)
    return day


async def export_filters(
    *,
    department: str | None = None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> ExportFilters:
    """Checked filters; `status` may list several, comma-separated."""
    department_id = department_code = None
    if department and department.strip():
        department_code = department.strip().upper()
        row = (
            await Department.select(Department.id).where(Department.code == department_code).first()
        )
        if row is None:
            raise InvalidInput(
                N_("Perangkat daerah '%(department_code)s' tidak dikenal."),
                department_code=department_code,
                field="department",
            )
        department_id = row["id"]
    statuses = tuple(dict.fromkeys(part.strip() for part in (status or "").split(",")))
    statuses = tuple(part for part in statuses if part)
    unknown = [part for part in statuses if part not in set(Status)]
    if unknown:
        raise InvalidInput(
            N_("Status tidak dikenal: %(unknown)s; harus di antara %(choices)s."),
            unknown=", ".join(unknown),
            choices=", ".join(Status),
            field="status",
        )
    first, last = _day(since, "from"), _day(until, "to")
    if first and last and last < first:
        raise InvalidInput(N_("Tanggal 'to' harus sesudah 'from'."), field="to")
    # Placed in the city's time zone here, so a date that cannot be is a 400, not a
    # download broken off after its first byte.
    return ExportFilters(
        department_id=department_id,
        department_code=department_code,
        statuses=statuses,
        since=first,
        until=last,
        starts_at=_start_of(first) if first else None,
        ends_before=_start_of(last + timedelta(days=1)) if last else None,
    )


def filename(filters: ExportFilters) -> str:
    parts = ["laporan", filters.department_code or "semua"]
    if filters.since:
        parts.append(filters.since.isoformat())
    if filters.until:
        parts.append(filters.until.isoformat())
    return "-".join(parts).lower() + ".csv"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=settings.current().tz)


async def report_pages(
    filters: ExportFilters, *, page_size: int = PAGE_SIZE
) -> AsyncIterator[list[ExportRow]]:
    """The matching reports by id, one page at a time."""
    last_id = 0
    while True:
        query = Report.select(*_SELECT).where(Report.id > last_id)
        if filters.department_id is not None:
            query = query.where(Report.department == filters.department_id)
        if filters.statuses:
            query = query.where(Report.status.is_in(list(filters.statuses)))
        if filters.starts_at:
            query = query.where(Report.created_at >= filters.starts_at)
        if filters.ends_before:
            query = query.where(Report.created_at < filters.ends_before)
        rows = await query.order_by(Report.id).limit(page_size)
        if not rows:
            return
        yield msgspec.convert(rows, list[ExportRow])
        if len(rows) < page_size:
            return
        last_id = rows[-1]["id"]


def _cell(value: object, tz: tzinfo) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    return value


def spreadsheet_safe(value: str | None) -> str:
    """A free-text cell as a spreadsheet shows it and never runs it: every CSV this product
    writes passes its texts through here."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(report: ExportRow, tz: tzinfo) -> list[object]:
    values = msgspec.structs.asdict(report)
    place = public_place(values)
    values.update(
        department=report.department_code,
        merged_into=report.merged_into_code,
        policy=report.policy_code,
        latitude=place.latitude,
        longitude=place.longitude,
        address=spreadsheet_safe(place.address),
        text="" if report.confidential else spreadsheet_safe(report.text),
    )
    return [_cell(values[column], tz) for column in COLUMNS]


async def csv_chunks(filters: ExportFilters, *, page_size: int = PAGE_SIZE) -> AsyncIterator[bytes]:
    """The CSV, a header and then one chunk per page, UTF-8."""
    tz = settings.current().tz
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    async for page in report_pages(filters, page_size=page_size):
        writer.writerows(_row(report, tz) for report in page)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # nothing matched: the header alone
        yield buffer.getvalue().encode()
