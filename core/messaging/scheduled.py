"""The messaging package's job: the daily digest to each department (what waits, what is
overdue, what is due today)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from config import settings
from core import clock
from core.messaging import outbox
from core.reports.lifecycle import ACTIVE
from core.service_levels.deadlines import overdue_where
from db.engine import write_transaction
from db.tables import Department, OutboxMessage, Report


async def queue_daily_digests() -> int:
    """One digest per department per day, however often this runs; returns how many queued."""
    moment = clock.now()
    tz = settings.current().tz
    today = moment.astimezone(tz).date()
    end_of_day = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz)
    active = [status.value for status in ACTIVE]
    departments = await Department.select(Department.id, Department.code).where(
        Department.active == True  # noqa: E712
    )
    messages = []
    for department in departments:
        mine = (Report.department == department["id"]) & Report.status.is_in(active)
        waiting = await Report.count().where(mine)
        if not waiting:
            continue
        overdue = await Report.count().where(mine & overdue_where(moment))
        due_today = await Report.count().where(
            mine & (Report.due_at > moment) & (Report.due_at < end_of_day)
        )
        messages.append(
            outbox.Message(
                dedupe_key=f"digest:{department['code']}:{today.isoformat()}",
                channel="department",
                template="digest",
                department_id=department["id"],
                payload={
                    "date": today.isoformat(),
                    "waiting": waiting,
                    "overdue": overdue,
                    "due_today": due_today,
                },
            )
        )
    if not messages:
        return 0
    async with write_transaction():
        before = await OutboxMessage.count().where(OutboxMessage.template == "digest")
        await outbox.enqueue(*messages, skip_duplicates=True)
        after = await OutboxMessage.count().where(OutboxMessage.template == "digest")
    return int(after - before)
