"""Queueing of messages. Always called inside the transaction of the change that causes the
message, so a change and its notifications are committed together or not at all."""

from __future__ import annotations

from typing import Any

from core import clock
from db.tables import OutboxMessage


async def enqueue(
    *,
    dedupe_key: str,
    channel: str,
    template: str,
    report_id: int | None = None,
    citizen_id: int | None = None,
    department_id: int | None = None,
    payload: dict[str, Any],
) -> None:
    moment = clock.now()
    await OutboxMessage.insert(
        OutboxMessage(
            dedupe_key=dedupe_key,
            channel=channel,
            template=template,
            report=report_id,
            citizen=citizen_id,
            department=department_id,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=moment,
            created_at=moment,
        )
    )
