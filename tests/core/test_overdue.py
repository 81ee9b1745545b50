"""One meaning of "overdue", at every door: a report is overdue once its deadline has come,
so a report due exactly now is overdue (the ladder takes its overdue step at the deadline
itself). The queue filter and colours, the head's count, the gauges, the figures and the
dashboard all agree, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import clock
from core.figures import gauges
from core.figures.dashboard import dashboard, department_detail
from core.figures.models import Period
from core.reports.queue import QueueFilters, department_overview, department_queue
from db.tables import Department, Report
from tests.helpers import report_in

NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Malang


async def _doors() -> dict[str, object]:
    """What each door says about DPUPRPKP's overdue work."""
    department = await Department.select().where(Department.code == "DPUPRPKP").first()
    queue = await department_queue(
        department_id=department["id"], filters=QueueFilters(overdue=True)
    )
    everything = await department_queue(department_id=department["id"], filters=QueueFilters())
    period = Period.parse("30d", today=NOW.date())
    city = await dashboard(period=period)
    (line,) = [line for line in city.departments if line.key == "DPUPRPKP"]
    detail = await department_detail(code="DPUPRPKP", period=period)
    return {
        "queue filter": len(queue.items),
        "queue colour": [row["band"] for row in everything.items],
        "head's count": (await department_overview(department_id=department["id"]))[
            "overdue_total"
        ],
        "gauge": (await gauges.snapshot()).overdue.get("DPUPRPKP", 0),
        "dashboard": line.waiting.overdue,
        "longest overdue": len(detail.overdue),
    }


async def _due(code: str, due_at: datetime, *, changed_at: datetime) -> None:
    """A new deadline, changed as every write changes a report (its updated_at moves)."""
    await Report.update({Report.due_at: due_at, Report.updated_at: changed_at}).where(
        Report.tracking_code == code
    )


async def test_a_report_due_exactly_now_is_overdue_at_every_door(db: str) -> None:
    with clock.frozen_at(NOW - timedelta(hours=1)):
        report = await report_in("open", text="Jalan berlubang di Jl. Kawi, mohon ditambal")
    with clock.frozen_at(NOW):
        await _due(
            report["tracking_code"],
            NOW + timedelta(seconds=1),
            changed_at=NOW - timedelta(minutes=2),
        )
        assert await _doors() == {
            "queue filter": 0,
            "queue colour": ["today"],
            "head's count": 0,
            "gauge": 0,
            "dashboard": 0,
            "longest overdue": 0,
        }
        await _due(report["tracking_code"], NOW, changed_at=NOW - timedelta(minutes=1))
        assert await _doors() == {
            "queue filter": 1,
            "queue colour": ["overdue"],
            "head's count": 1,
            "gauge": 1,
            "dashboard": 1,
            "longest overdue": 1,
        }
