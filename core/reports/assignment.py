"""Who of the department carries a report: a head (or an admin) gives it to one of the
department's active officers or takes it back; an officer takes one nobody carries, or lets go
of their own (core.staff.permissions.may_assign). Each change is a staff-only timeline event;
the citizen is not told, since nothing changes for them."""

from __future__ import annotations

from typing import Any

import msgspec

from core import clock
from core.errors import Forbidden, IllegalTransition, InvalidInput
from core.reports.lifecycle import STATUS_NAMES, WITH_DEPARTMENT, load_for_update, record_event
from core.reports.models import ReportRecord
from core.staff.actors import Actor
from core.staff.permissions import ASSIGNEE_ROLES, may_act_on_department, may_assign
from db.engine import write_transaction
from db.tables import Department, Report, User
from i18n import N_

# A report is given to someone while the department still owes work on it.
ASSIGNABLE = WITH_DEPARTMENT


class Assignee(msgspec.Struct, frozen=True, kw_only=True):
    """A member of a department's staff a report can be given to."""

    id: int
    username: str
    full_name: str


async def assignees(department_id: int) -> list[Assignee]:
    """The department's active officers and head, by username."""
    rows = (
        await User.select(User.id, User.username, User.full_name)
        .where(
            (User.department == department_id)
            & (User.active == True)  # noqa: E712
            & User.role.is_in(sorted(ASSIGNEE_ROLES))
        )
        .order_by(User.username)
    )
    return msgspec.convert(rows, list[Assignee])


async def _officer(username: str, department_id: int) -> dict[str, Any]:
    name = username.strip().lower()
    row = (
        await User.select(User.id, User.username, User.role, User.department, User.active)
        .where(User.username == name)
        .first()
        if name
        else None
    )
    if (
        row is None
        or not row["active"]
        or row["role"] not in ASSIGNEE_ROLES
        or row["department"] != department_id
    ):
        department = (
            await Department.select(Department.short_name)
            .where(Department.id == department_id)
            .first()
        )
        raise InvalidInput(
            N_("'%(officer)s' bukan petugas aktif %(department)s."),
            officer=username.strip()[:64],
            department=department["short_name"] if department else "",
            field="officer",
        )
    return row


def _not_assignable(status: str) -> IllegalTransition:
    return IllegalTransition(
        action="assign",
        status=status,
        action_name=N_("ditugaskan"),
        status_name=STATUS_NAMES[status],
    )


def _refused() -> Forbidden:
    return Forbidden(N_("Anda tidak berwenang menugaskan laporan ini kepada petugas itu."))


async def assign(*, tracking_code: str, officer: str | None, actor: Actor) -> ReportRecord:
    """Give the report to `officer` (a username), or to nobody when None."""
    async with write_transaction():
        report = await load_for_update(tracking_code)
        if report.status not in ASSIGNABLE or report.department is None:
            raise _not_assignable(report.status)
        if not may_act_on_department(actor, report.department):
            raise _refused()
        target = await _officer(officer, report.department) if officer is not None else None
        target_id = target["id"] if target else None
        if not may_assign(
            actor,
            department_id=report.department,
            officer_id=target_id,
            current_id=report.assignee,
        ):
            raise _refused()
        current = (
            await User.select(User.username).where(User.id == report.assignee).first()
            if report.assignee
            else None
        )
        if target_id == report.assignee:
            if target is None:
                raise InvalidInput(N_("Laporan ini belum ditugaskan."), field="officer")
            raise InvalidInput(
                N_("Laporan ini sudah ditugaskan kepada %(officer)s."),
                officer=target["username"],
                field="officer",
            )
        moment = clock.now()
        holder: Any = (
            Report.assignee.is_null()
            if report.assignee is None
            else Report.assignee == report.assignee
        )
        updated = (
            await Report.update({Report.assignee: target_id, Report.updated_at: moment})
            .where((Report.id == report.id) & (Report.status == report.status) & holder)
            .returning(*Report.all_columns(exclude=[Report.follow_up_key]))
        )
        if not updated:  # changed by someone else since we read it
            raise _not_assignable(report.status)
        await record_event(
            report_id=report.id,
            kind="assigned" if target else "unassigned",
            from_status=report.status,
            to_status=report.status,
            actor=actor,
            department_id=report.department,
            public_note=None,
            detail={"officer": target["username"] if target else current and current["username"]},
            moment=moment,
        )
    return msgspec.convert(updated[0], ReportRecord)
