"""One action on a selection of reports: a verifier routes several triage reports to one
department, a head gives several of the department's reports to one officer, or marks several
as duplicates of one case.

Each report is its own write (its own transaction, its own authorization through the action
itself), so a report that is refused, or that someone else changed first, does not undo the
others; the outcome of each is returned for the page to tell.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from core.errors import DomainError, InvalidInput
from core.reports import assignment, lifecycle, merging
from core.reports.models import ReportRecord
from core.reports.tracking import normalize_code, report_not_found
from core.staff.actors import Actor
from db.tables import Report
from i18n import N_

# At most this many reports at once: a page of a queue is 25.
MAX_SELECTION = 100
BULK_ACTIONS = ("route", "assign", "merge")


class BulkOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """What happened to one report of the selection: done, or why not (a msgid and its
    values, translated where it is shown)."""

    tracking_code: str
    done: bool
    msgid: str
    values: dict[str, Any]


def _selection(codes: list[str]) -> list[str]:
    unique = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not unique:
        raise InvalidInput(N_("Pilih sedikitnya satu laporan."), field="codes")
    if len(unique) > MAX_SELECTION:
        raise InvalidInput(
            N_("Paling banyak %(max)s laporan sekaligus."), max=MAX_SELECTION, field="codes"
        )
    return unique


async def _each(
    codes: list[str], act: Callable[[str], Awaitable[ReportRecord]], *, done: str, **values: Any
) -> list[BulkOutcome]:
    outcomes = []
    for code in _selection(codes):
        shown = normalize_code(code) or code[:20]
        try:
            report = await act(code)
        except DomainError as error:
            outcomes.append(
                BulkOutcome(
                    tracking_code=shown,
                    done=False,
                    msgid=error.msgid,
                    values={"field": error.field, **error.values},
                )
            )
            continue
        outcomes.append(
            BulkOutcome(
                tracking_code=report.tracking_code,
                done=True,
                msgid=done,
                values={"code": report.tracking_code, **values},
            )
        )
    return outcomes


async def route(*, codes: list[str], department_code: str, actor: Actor) -> list[BulkOutcome]:
    """Route each triage report of `codes` to one department."""
    department = department_code.strip().upper()
    if not department:
        raise InvalidInput(N_("Pilih perangkat daerah tujuan."), field="department")

    async def one(code: str) -> ReportRecord:
        return await lifecycle.route(tracking_code=code, department_code=department, actor=actor)

    return await _each(
        codes, one, done=N_("Laporan %(code)s diteruskan ke %(department)s."), department=department
    )


async def assign(*, codes: list[str], officer: str | None, actor: Actor) -> list[BulkOutcome]:
    """Give each report of `codes` to `officer` (a username), or to nobody when None."""

    async def one(code: str) -> ReportRecord:
        return await assignment.assign(tracking_code=code, officer=officer, actor=actor)

    if officer is None:
        return await _each(codes, one, done=N_("Laporan %(code)s tidak lagi ditugaskan."))
    return await _each(
        codes,
        one,
        done=N_("Laporan %(code)s ditugaskan kepada %(officer)s."),
        officer=officer.strip().lower(),
    )


async def merge(*, codes: list[str], into: str, actor: Actor) -> list[BulkOutcome]:
    """Merge each report of `codes` into the case `into` (core.reports.merging.merge: its
    rules and authorization for each; the case itself among them is refused as such)."""
    case = normalize_code(into)
    if case is None:
        raise InvalidInput(
            N_("Tulis kode pelacakan kasus tujuan, misalnya MLG-7K3Q9X."), field="into"
        )
    # A case that does not exist is one error, not the same one for every report.
    if not await Report.exists().where(Report.tracking_code == case):
        raise report_not_found(case)

    async def one(code: str) -> ReportRecord:
        return await merging.merge(tracking_code=code, into=case, actor=actor)

    return await _each(codes, one, done=N_("Laporan %(code)s digabungkan ke %(case)s."), case=case)
