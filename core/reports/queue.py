"""What staff work from: a department's queue, the triage queue, one report in full, and a
head's view of the department. Read-only; changes go through core.reports.lifecycle.

Every list in deadline order is one page of a range of the (department, status, due_at)
index, so a queue answers as fast with a million reports in the table as with a hundred; the
default order reads two such ranges (urgent reports not yet acknowledged, then the rest). The
other orders (received, last activity) and the reports re-routed away (found through their
routing events) read the department's rows of those statuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from core import clock
from core.citizens.mail import reach
from core.errors import InvalidInput
from core.place.boundaries import KECAMATAN
from core.reports import duplicates, merging
from core.reports.disclosure import reporter_for_staff
from core.reports.lifecycle import ARCHIVED, TRANSITIONS, UNACKNOWLEDGED, Status
from core.reports.models import (
    Band,
    DepartmentOverview,
    OfficerLoad,
    QueueItem,
    QueuePage,
    ReporterContact,
    StaffReport,
)
from core.reports.tracking import normalize_code, report_not_found
from core.service_levels.deadlines import is_overdue, overdue_where
from core.staff.actors import Actor
from core.staff.permissions import may_act_on_department
from db.engine import is_sqlite
from db.tables import Policy, Report, ReportEvent, User
from i18n import N_

PAGE_SIZE = 25
# Matching words reads every matching row, so a search counts its matches only up to here
# ("1,000+"); every other filter is an index range and is counted exactly.
SEARCH_COUNT_CAP = 1_000
MAX_PAGE = 10_000
MAX_SEARCH = 200
# A queue holds what the department still owes an answer on; `resolved` waits for the citizen.
QUEUE_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
FILTERABLE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED)
# The archive: what the department finished (closed, rejected, referred) and, as REROUTED_AWAY,
# what it handled before the report was re-routed to another department. `status=archive`
# lists both.
ARCHIVE = "archive"
REROUTED_AWAY = "rerouted_away"
ARCHIVE_STATUSES = (*sorted(ARCHIVED), REROUTED_AWAY)
STATUS_CHOICES = (*FILTERABLE_STATUSES, ARCHIVE, *ARCHIVE_STATUSES)
# The orders a queue can be read in. `priority` (the default): urgent reports the department
# has not acknowledged yet (core.reports.lifecycle.UNACKNOWLEDGED) first, then by deadline;
# `deadline`: nearest deadline first; `received`: newest first; `activity`: latest change first.
SORTS = ("priority", "deadline", "received", "activity")
SORT_NAMES = {
    "priority": N_("Mendesak yang belum diterima dulu"),
    "deadline": N_("Tenggat terdekat"),
    "received": N_("Terbaru diterima"),
    "activity": N_("Aktivitas terakhir"),
}
_OVERVIEW_LIMIT = 50
# The assignment filter: the signed-in staff member's reports, or those nobody carries (or
# a username of the department).
ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"
# The head's page counts each officer's actions over this many days.
RECENT_ACTIVITY_DAYS = 7
_LIKE_SPECIAL = re.compile(r"[%_\\]")

_LIST_COLUMNS = (
    Report.id,
    Report.tracking_code,
    Report.text,
    Report.status,
    Report.urgent,
    Report.due_at,
    Report.created_at,
    Report.resolved_at,
    Report.address,
    Report.ladder.level.as_alias("escalation_level"),
    Report.needs_field_work,
    Report.confidence,
    Report.policy.code.as_alias("policy_code"),
    Report.assignee.username.as_alias("assignee"),
    Report.updated_at,
    Report.reopen_count,
    Report.department,
    Report.suggested_referral,
)


# The queue's colours: at most TODAY_DAYS left is "today", at most SOON_DAYS "soon".
TODAY_DAYS = 1
SOON_DAYS = 3


# A column and whether it ascends.
Order = tuple[Any, bool]


def time_band(due_at: datetime | None, now: datetime) -> Band | None:
    """How much time is left, as the queue colours it."""
    if due_at is None:
        return None
    if is_overdue(due_at, now):
        return "overdue"
    left = due_at - now
    if left <= timedelta(days=TODAY_DAYS):
        return "today"
    if left <= timedelta(days=SOON_DAYS):
        return "soon"
    return "later"


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    overdue: bool = False
    urgent: bool = False
    policy: str | None = None
    kecamatan: str | None = None
    search: str | None = None
    assigned: str | None = None
    page: int = 1
    sort: str | None = None

    @property
    def archived(self) -> bool:
        """Whether this lists the archive (finished or re-routed away) rather than open work."""
        return self.status == ARCHIVE or self.status in ARCHIVE_STATUSES

    def cleaned(self) -> QueueFilters:
        status = (self.status or "").strip().lower() or None
        if status is not None and status not in STATUS_CHOICES:
            raise InvalidInput(
                N_("Status tidak dikenal untuk antrean; harus salah satu dari %(choices)s."),
                choices=", ".join(STATUS_CHOICES),
                field="status",
            )
        sort = (self.sort or "").strip().lower() or None
        if sort is not None and sort not in SORTS:
            raise InvalidInput(
                N_("Urutan tidak dikenal; harus salah satu dari %(choices)s."),
                choices=", ".join(SORTS),
                field="sort",
            )
        kecamatan = (self.kecamatan or "").strip().title() or None
        if kecamatan is not None and kecamatan not in KECAMATAN:
            raise InvalidInput(
                N_("Kecamatan tidak dikenal; harus salah satu dari %(choices)s."),
                choices=", ".join(KECAMATAN),
                field="kecamatan",
            )
        search = (self.search or "").strip() or None
        if search is not None and (len(search) > MAX_SEARCH or not search.isprintable()):
            raise InvalidInput(
                N_("Kata kunci paling panjang %(max_search)s karakter."),
                max_search=MAX_SEARCH,
                field="q",
            )
        policy = (self.policy or "").strip().upper() or None
        if policy is not None and len(policy) > 40:
            raise InvalidInput(N_("Kode kebijakan terlalu panjang."), field="policy")
        assigned = (self.assigned or "").strip().lower() or None
        if assigned is not None and len(assigned) > 64:
            raise InvalidInput(N_("Nama petugas terlalu panjang."), field="assigned")
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidInput(
                N_("Halaman harus 1 sampai %(max_page)s."),
                max_page=MAX_PAGE,
                field="page",
            )
        return QueueFilters(
            status=status,
            overdue=self.overdue,
            urgent=self.urgent,
            policy=policy,
            kecamatan=kecamatan,
            search=search,
            assigned=assigned,
            page=self.page,
            sort=sort,
        )


def _items(rows: list[dict[str, Any]], now: datetime) -> list[QueueItem]:
    return [
        msgspec.convert({**row, "band": time_band(row["due_at"], now)}, QueueItem) for row in rows
    ]


def _like(term: str) -> str:
    # `_` matches any one character, so it stands in for the characters LIKE treats specially
    # (SQLite has no default escape character, PostgreSQL does).
    return f"%{_LIKE_SPECIAL.sub('_', term)}%"


def _contains(column: Any, term: str) -> Any:
    # SQLite's LIKE already ignores case (for ASCII) and has no ILIKE.
    pattern = _like(term)
    return column.like(pattern) if is_sqlite() else column.ilike(pattern)


def _search(term: str) -> Any:
    code = normalize_code(term)
    if code:
        return Report.tracking_code == code
    return _contains(Report.text, term)


async def _policy_id(code: str) -> int:
    row = await Policy.select(Policy.id).where(Policy.code == code).first()
    if row is None:
        raise InvalidInput(N_("Kebijakan '%(code)s' tidak dikenal."), code=code, field="policy")
    policy_id: int = row["id"]
    return policy_id


async def _count(condition: Any, *, searching: bool) -> tuple[int, bool]:
    if not searching:
        total: int = await Report.count().where(condition)
        return total, False
    found = len(await Report.select(Report.id).where(condition).limit(SEARCH_COUNT_CAP + 1))
    return min(found, SEARCH_COUNT_CAP), found > SEARCH_COUNT_CAP


async def _rows(condition: Any, order: Order, *, offset: int, limit: int) -> list[dict[str, Any]]:
    if limit <= 0:
        return []
    column, ascending = order
    rows: list[dict[str, Any]] = (
        await Report.select(*_LIST_COLUMNS)
        .where(condition)
        .order_by(column, ascending=ascending)
        .order_by(Report.id)
        .limit(limit)
        .offset(offset)
    )
    return rows


async def _page(
    condition: Any,
    *,
    page: int,
    order: Order,
    searching: bool,
    first: tuple[Any, Any] | None = None,
) -> QueuePage:
    """One page of `condition` in `order`. `first`: (ahead, rest), two conditions that split
    `condition`: the rows of `ahead` come before those of `rest`, each part in `order` and
    each an index range of its own."""
    now = clock.now()
    offset = (page - 1) * PAGE_SIZE
    if first is None:
        rows = await _rows(condition, order, offset=offset, limit=PAGE_SIZE)
    else:
        ahead, rest = first
        rows = await _rows(condition & ahead, order, offset=offset, limit=PAGE_SIZE)
        if len(rows) < PAGE_SIZE:
            before = await Report.count().where(condition & ahead) if offset else len(rows)
            rows += await _rows(
                condition & rest,
                order,
                offset=max(0, offset - before),
                limit=PAGE_SIZE - len(rows),
            )
    total, capped = await _count(condition, searching=searching)
    return QueuePage(
        items=_items(rows, now),
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        now=now,
        total_is_capped=capped,
    )


async def _assigned_where(assigned: str, *, department_id: int, viewer_id: int | None) -> Any:
    """`me`: the viewer's; `none`: nobody's; else a username of the department's staff."""
    if assigned == UNASSIGNED:
        return Report.assignee.is_null()
    if assigned == ASSIGNED_TO_ME:
        if viewer_id is None:
            raise InvalidInput(
                N_("Hanya petugas yang masuk yang mempunyai laporan sendiri."), field="assigned"
            )
        return Report.assignee == viewer_id
    row = (
        await User.select(User.id)
        .where((User.username == assigned) & (User.department == department_id))
        .first()
    )
    if row is None:
        raise InvalidInput(
            N_("Penugasan harus 'me', 'none' atau nama pengguna petugas perangkat daerah ini."),
            field="assigned",
        )
    return Report.assignee == row["id"]


# The events by which a report arrives at a department (sent there by the classifier at
# intake, routed there from triage, or re-routed there): the department of such an event
# handled the report from then on. (A report submitted to triage has no department on its
# "submitted" event.) The partial index report_event_arrival holds exactly these.
_ARRIVALS = ["submitted", TRANSITIONS["route"].event, TRANSITIONS["reroute"].event]


def _handled_before_by(department_id: int) -> Any:
    """Reports the department handled once and that were re-routed to another since."""
    arrived = ReportEvent.select(ReportEvent.report).where(
        ReportEvent.kind.is_in(_ARRIVALS) & (ReportEvent.department == department_id)
    )
    return (
        (Report.reroute_count > 0) & (Report.department != department_id) & Report.id.is_in(arrived)
    )


def _scope(department_id: int, status: str | None) -> Any:
    """Which of the department's reports a status filter lists."""
    here = Report.department == department_id
    if status is None:
        return here & Report.status.is_in(list(QUEUE_STATUSES))
    if status == REROUTED_AWAY:
        return _handled_before_by(department_id)
    if status == ARCHIVE:
        return (here & Report.status.is_in(sorted(ARCHIVED))) | _handled_before_by(department_id)
    return here & (Report.status == status)


def _order(filters: QueueFilters) -> Order:
    match filters.sort:
        case "deadline":
            return Report.due_at, True
        case "received":
            return Report.created_at, False
        case "activity":
            return Report.updated_at, False
    if filters.status == Status.RESOLVED:  # waiting for the citizen: latest answer first
        return Report.resolved_at, False
    if filters.archived:
        return Report.updated_at, False
    return Report.due_at, True


async def department_queue(
    *, department_id: int, filters: QueueFilters, viewer_id: int | None = None
) -> QueuePage:
    """The department's open work, urgent reports not yet acknowledged first, then by nearest
    deadline (or in the order `filters.sort` names); with an archive status, what the
    department finished or handled before a re-route. `viewer_id`: the staff member asking,
    whose reports `assigned=me` lists."""
    filters = filters.cleaned()
    condition: Any = _scope(department_id, filters.status)
    if filters.overdue:
        condition &= overdue_where(clock.now())
    if filters.urgent:
        condition &= Report.urgent == True  # noqa: E712
    if filters.policy:
        condition &= Report.policy == await _policy_id(filters.policy)
    if filters.kecamatan:
        # The report's kecamatan, set at intake from its point or address (core.place).
        condition &= Report.kecamatan == filters.kecamatan
    if filters.search:
        condition &= _search(filters.search)
    if filters.assigned:
        condition &= await _assigned_where(
            filters.assigned, department_id=department_id, viewer_id=viewer_id
        )
    searching = bool(filters.search)
    first = None
    if (filters.sort or "priority") == "priority" and not filters.archived:
        unacknowledged = Report.status.is_in(sorted(UNACKNOWLEDGED))
        first = (
            (Report.urgent == True) & unacknowledged,  # noqa: E712
            (Report.urgent == False) | Report.status.not_in(sorted(UNACKNOWLEDGED)),  # noqa: E712
        )
    return await _page(
        condition, page=filters.page, order=_order(filters), searching=searching, first=first
    )


async def handled_before(*, report_id: int, department_id: int) -> bool:
    """Whether the report was once with the department (routed or re-routed there)."""
    found: bool = await ReportEvent.exists().where(
        (ReportEvent.report == report_id)
        & ReportEvent.kind.is_in(_ARRIVALS)
        & (ReportEvent.department == department_id)
    )
    return found


async def as_read_by(actor: Actor, report: StaffReport) -> StaffReport | None:
    """The report as `actor` may read it: whole for its department's staff and the city-wide
    roles; read-only for a department that handled it before it was re-routed away (no
    actions, no reporter contact, no other department's possible duplicates); None for anyone
    else (the doors answer 403, as for any page outside one's department)."""
    if may_act_on_department(actor, report.department):
        return report
    if actor.department_id is not None and await handled_before(
        report_id=report.id, department_id=actor.department_id
    ):
        return msgspec.structs.replace(
            report, reporter=None, possible_duplicates=[], handled_before=True
        )
    return None


async def triage_queue(*, page: int = 1, search: str | None = None) -> QueuePage:
    """Reports the classifier would not route, oldest deadline first."""
    filters = QueueFilters(search=search, page=page).cleaned()
    condition: Any = Report.department.is_null() & (Report.status == Status.TRIAGE)
    if filters.search:
        condition &= _search(filters.search)
    return await _page(
        condition, page=filters.page, order=(Report.due_at, True), searching=bool(filters.search)
    )


# What tells how the citizen hears of changes (core.citizens.mail.reach); read, never shown.
_REACH_COLUMNS = (
    Report.citizen.telegram_chat_id.as_alias("citizen_chat"),
    Report.citizen.email.as_alias("citizen_email"),
    Report.citizen.email_confirmed_at.as_alias("citizen_confirmed_at"),
    Report.citizen.email_unsubscribed_at.as_alias("citizen_unsubscribed_at"),
)
_CONTACT_COLUMNS = (
    Report.citizen.name.as_alias("citizen_name"),
    Report.citizen.phone.as_alias("citizen_phone"),
)


async def staff_report(tracking_code: str) -> StaffReport:
    """One report as staff see it: the reporter's name and contact only when it is neither
    anonymous nor confidential, its whole timeline with who did what, its likely duplicates
    still open, and how many citizens reported the case."""
    code = normalize_code(tracking_code)
    report = (
        await Report.select(
            *Report.all_columns(exclude=[Report.ladder, Report.follow_up_key]),
            Report.ladder.level.as_alias("escalation_level"),
            Report.department.code.as_alias("department_code"),
            Report.department.name.as_alias("department_name"),
            Report.policy.code.as_alias("policy_code"),
            Report.policy.title.as_alias("policy_title"),
            Report.assignee.username.as_alias("assignee_username"),
            Report.merged_into.tracking_code.as_alias("merged_into_code"),
            *_REACH_COLUMNS,
            *_CONTACT_COLUMNS,
        )
        .where(Report.tracking_code == code)
        .first()
        if code
        else None
    )
    if report is None:
        raise report_not_found(tracking_code)
    timeline = await (
        ReportEvent.select(
            ReportEvent.kind,
            ReportEvent.from_status,
            ReportEvent.to_status,
            ReportEvent.actor_kind,
            ReportEvent.actor.username.as_alias("actor_username"),
            ReportEvent.department.code.as_alias("department_code"),
            ReportEvent.public_note,
            ReportEvent.detail,
            ReportEvent.created_at,
        )
        .where(ReportEvent.report == report["id"])
        .order_by(ReportEvent.id)
        .output(load_json=True)
    )
    merged_into_code = report.pop("merged_into_code")
    contact = ReporterContact(
        name=report.pop("citizen_name"),
        email=report["citizen_email"],
        phone=report.pop("citizen_phone"),
    )
    return msgspec.convert(
        {
            **report,
            "reporter": reporter_for_staff(
                contact, anonymous=report["anonymous"], confidential=report["confidential"]
            ),
            # How the citizen hears of changes.
            "reached_by": reach(
                telegram_chat_id=report.pop("citizen_chat"),
                email=report.pop("citizen_email"),
                confirmed=report.pop("citizen_confirmed_at") is not None,
                unsubscribed=report.pop("citizen_unsubscribed_at") is not None,
            ),
            "band": time_band(report["due_at"], clock.now()),
            "timeline": [{**event, "detail": event["detail"] or {}} for event in timeline],
            "possible_duplicates": await duplicates.possible_duplicates(
                report=msgspec.convert(report, duplicates.Subject)
            ),
            "merged_into_code": merged_into_code,
            "reporters": await merging.reporters(report["id"]),
        },
        StaffReport,
    )


async def department_overview(*, department_id: int) -> DepartmentOverview:
    """For the head of a department: what is overdue, what has escalated, who carries what."""
    now = clock.now()
    active: Any = (Report.department == department_id) & Report.status.is_in(list(QUEUE_STATUSES))
    overdue_condition = active & overdue_where(now)
    escalated_condition = active & (Report.ladder.level > 0)
    overdue = (
        await Report.select(*_LIST_COLUMNS)
        .where(overdue_condition)
        .order_by(Report.due_at)
        .limit(_OVERVIEW_LIMIT)
    )
    escalated = (
        await Report.select(*_LIST_COLUMNS)
        .where(escalated_condition)
        .order_by(Report.due_at)
        .limit(_OVERVIEW_LIMIT)
    )
    return DepartmentOverview(
        now=now,
        open_total=await Report.count().where(active),
        unassigned_total=await Report.count().where(active & Report.assignee.is_null()),
        overdue=_items(overdue, now),
        overdue_total=await Report.count().where(overdue_condition),
        escalated=_items(escalated, now),
        escalated_total=await Report.count().where(escalated_condition),
        load=await _officer_load(
            department_id=department_id,
            since=now - timedelta(days=RECENT_ACTIVITY_DAYS),
            active=active,
        ),
    )


async def _officer_load(*, department_id: int, since: datetime, active: Any) -> list[OfficerLoad]:
    """Per officer of the department: open reports given to them, reports they took on that
    are still in progress, and how many actions they took lately."""
    staff = (
        await User.select(User.id, User.username, User.full_name, User.role)
        .where((User.department == department_id) & (User.active == True))  # noqa: E712
        .order_by(User.username)
    )
    if not staff:
        return []
    carrying = await ReportEvent.raw(
        "SELECT e.actor AS user_id, COUNT(DISTINCT e.report) AS n "
        "FROM report_event e JOIN report r ON r.id = e.report "
        "WHERE e.kind = 'acknowledged' AND e.actor IN "
        "(SELECT id FROM app_user WHERE department = {}) "
        "AND r.department = {} AND r.status = 'in_progress' GROUP BY e.actor",
        department_id,
        department_id,
    )
    recent = await ReportEvent.raw(
        "SELECT actor AS user_id, COUNT(*) AS n FROM report_event "
        "WHERE actor IN (SELECT id FROM app_user WHERE department = {}) AND created_at >= {} "
        "GROUP BY actor",
        department_id,
        since,
    )
    given = (
        await Report.select(Report.assignee, Count().as_alias("n"))
        .where(active & Report.assignee.is_not_null())
        .group_by(Report.assignee)
    )
    assigned = {row["assignee"]: row["n"] for row in given}
    in_progress = {row["user_id"]: row["n"] for row in carrying}
    actions = {row["user_id"]: row["n"] for row in recent}
    return [
        OfficerLoad(
            id=member["id"],
            username=member["username"],
            full_name=member["full_name"],
            role=member["role"],
            in_progress=in_progress.get(member["id"], 0),
            recent_actions=actions.get(member["id"], 0),
            assigned=assigned.get(member["id"], 0),
        )
        for member in staff
    ]
