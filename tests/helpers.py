"""Small builders shared by tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from core import clock
from core.reports import lifecycle, merging
from core.reports.intake import submit_report
from core.reports.models import ReportRecord
from core.routing.decision import TriageRouter
from core.routing.models import RoutingDecision
from core.staff.actors import Actor, ActorKind, Role

ADMIN = Actor(kind=ActorKind.OFFICER, role=Role.ADMIN)
# Where a test process kept something for the reader (what: path), named in the run's summary
# by tests/conftest.py, also when the tests ran in xdist workers.
RUN_SUMMARY: dict[str, str] = {}


@contextmanager
def clock_running_from(moment: datetime) -> Iterator[None]:
    """The clock starts at `moment` and runs at the real pace: for walks through the product
    whose answers depend on the day (deadlines), so they are the same on any day."""
    started = datetime.now(UTC)
    with clock.frozen_at(lambda: moment + (datetime.now(UTC) - started)):
        yield


class FixedRouter:
    """Routes every report to one department, as a confident classifier would."""

    def __init__(self, department_code: str | None, *, urgent: bool = False) -> None:
        self.decision = RoutingDecision(
            department_code=department_code,
            confidence=0.97 if department_code else None,
            urgent=urgent,
        )

    def decide(self, text: str) -> RoutingDecision:
        return self.decision


async def report_in(status: str, **submit: Any) -> ReportRecord:
    """A fresh report brought to `status` through the lifecycle itself."""
    report = await submit_report(
        text=submit.pop("text", "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema"),
        channel=submit.pop("channel", "api"),
        router=submit.pop("router", TriageRouter()),
        **submit,
    )
    code = report.tracking_code
    steps: dict[str, list[Any]] = {
        "triage": [],
        "open": ["route"],
        "in_progress": ["route", "acknowledge"],
        "resolved": ["route", "acknowledge", "resolve"],
        "closed": ["route", "acknowledge", "resolve", "close"],
        "rejected": ["reject"],
        "referred": ["refer"],
    }
    changed: ReportRecord = report
    if status == "merged":  # joined another open report of its department
        case = await report_in("open", text="Jalan berlubang di Jl. Soekarno Hatta")
        await perform("route", code)
        return await merging.merge(tracking_code=code, into=case.tracking_code, actor=ADMIN)
    for step in steps[status]:
        changed = await perform(step, code)
    return changed


async def perform(action: str, code: str, actor: Actor = ADMIN) -> ReportRecord:
    """Take `action` on a report with plausible arguments."""
    calls = {
        "route": lambda: lifecycle.route(
            tracking_code=code, department_code="DPUPRPKP", actor=actor
        ),
        "reroute": lambda: lifecycle.reroute(
            tracking_code=code, department_code="DLH", reason="Ini soal sampah", actor=actor
        ),
        "acknowledge": lambda: lifecycle.acknowledge(tracking_code=code, actor=actor),
        "respond": lambda: lifecycle.respond(
            tracking_code=code, message="Petugas menuju lokasi besok pagi", actor=actor
        ),
        "mark_field_work": lambda: lifecycle.mark_field_work(
            tracking_code=code, reason="Perlu pengaspalan ulang", actor=actor
        ),
        "resolve": lambda: lifecycle.resolve(
            tracking_code=code, answer="Lubang sudah ditambal", actor=actor
        ),
        "reopen": lambda: lifecycle.reopen(
            tracking_code=code, reason="Masih berlubang", actor=actor
        ),
        "close": lambda: lifecycle.close(tracking_code=code, actor=actor, rating=5),
        "reject": lambda: lifecycle.reject(tracking_code=code, reason="Laporan ganda", actor=actor),
        "refer": lambda: lifecycle.refer(
            tracking_code=code,
            where="Jalan provinsi: hubungi Dinas PU Bina Marga Jatim",
            actor=actor,
        ),
    }
    return await calls[action]()
