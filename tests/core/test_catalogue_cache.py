"""Departments and holidays are kept per process (core/catalogue/cached.py), and an admin's
change reaches new reports at once on the replica that made it, and on every other replica
within core.catalogue.cached.RECHECK. Both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core import clock
from core.catalogue.administration import update_department
from core.catalogue.cached import RECHECK
from core.reports.intake import submit_report
from core.reports.lifecycle import Status
from core.service_levels.holidays import add_holiday
from db.tables import CatalogueChange, Department, Holiday
from tests.helpers import ADMIN, FixedRouter

# A Monday morning in Malang: a triage decision is due the next working day.
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TUESDAY = date(2026, 3, 3)
TEXT = "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor"


async def _submit(router: FixedRouter) -> tuple[Status, str | None, date]:
    report = await submit_report(text=TEXT, channel="api", router=router)
    return (
        report.status,
        report.routed_to.code if report.routed_to else None,
        report.due_at.date() if report.due_at else date.min,
    )


async def _deactivate_as(*, other_replica: bool) -> None:
    department = await Department.select().where(Department.code == "DPUPRPKP").first()
    if other_replica:
        # Another process: the same writes, told to this one only through the database.
        await Department.update({Department.active: False}).where(Department.code == "DPUPRPKP")
        await CatalogueChange.insert(CatalogueChange(changed_at=clock.now()))
    else:
        await update_department(
            code="DPUPRPKP",
            name=department["name"],
            short_name=department["short_name"],
            scope=department["scope"],
            first_response_days=None,
            resolution_days=None,
            urgent_ack_minutes=department["urgent_ack_minutes"],
            active=False,
            actor=ADMIN,
        )


async def test_a_department_closed_by_an_admin_takes_no_new_report_at_once(db: str) -> None:
    router = FixedRouter("DPUPRPKP")
    with clock.frozen_at(MONDAY):
        assert (await _submit(router))[:2] == (Status.OPEN, "DPUPRPKP")
        await _deactivate_as(other_replica=False)
        assert (await _submit(router))[:2] == (Status.TRIAGE, None)


async def test_a_department_closed_on_another_replica_is_closed_here_too(db: str) -> None:
    router = FixedRouter("DPUPRPKP")
    with clock.frozen_at(MONDAY):
        assert (await _submit(router))[:2] == (Status.OPEN, "DPUPRPKP")
        await _deactivate_as(other_replica=True)
    with clock.frozen_at(MONDAY + RECHECK):
        assert (await _submit(router))[:2] == (Status.TRIAGE, None)


async def test_a_holiday_added_here_or_on_another_replica_moves_the_next_deadline(
    db: str,
) -> None:
    triage = FixedRouter(None)
    with clock.frozen_at(MONDAY):
        assert (await _submit(triage))[2] == TUESDAY
        await add_holiday(day=TUESDAY, name="Libur kota", kind="national", actor=ADMIN)
        assert (await _submit(triage))[2] == date(2026, 3, 4)
        # Another replica declares Wednesday off too.
        await Holiday.insert(Holiday(day=date(2026, 3, 4), name="Libur kota", kind="national"))
        await CatalogueChange.insert(CatalogueChange(changed_at=clock.now()))
    with clock.frozen_at(MONDAY + RECHECK):
        assert (await _submit(triage))[2] == date(2026, 3, 5)
