"""Urgent reports (the classifier's `urgent` flag) reach a person within minutes.

When an urgent report arrives, and whenever one is routed or re-routed, `alert` tells the staff
who can act, through the outbox in the transaction of the change: the department's officers
and head; in triage, or when nobody in the department can be reached, every verifier; when no
verifier can be reached either, the admins. Each hears as every staff notice is heard: by
Telegram where linked, else by email (core/staff/notices.py).

While it waits for its first staff action (routed out of triage, acknowledged by the
department: what core/reports/lifecycle.py calls triage and UNACKNOWLEDGED), the report's
`UrgentWatch` row holds when leadership and the admins are alerted if nobody acts: the
department's `urgent_ack_minutes` after it arrived there, TRIAGE_ACK_MINUTES in triage. The job
in core/reports/scheduled.py takes that step once per wait (`claim_unacknowledged`).

The citizen is told the city's emergency lines first, on every door (EMERGENCY_CONTACTS)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from core.catalogue.departments import by_id
from core.messaging import outbox
from core.messaging.recipients import first_reached
from core.reports.models import EmergencyContact, ReportRecord
from core.service_levels.deadlines import URGENT_FIRST_RESPONSE
from db.tables import Report, ReportEvent, UrgentWatch
from i18n import N_

EMERGENCY_CONTACTS: tuple[EmergencyContact, ...] = (
    EmergencyContact(name=N_("Call Center 112 Kota Malang"), number="112"),
    EmergencyContact(name=N_("Polisi"), number="110"),
    EmergencyContact(name=N_("Pemadam Kebakaran"), number="113"),
    EmergencyContact(name=N_("Ambulans"), number="119"),
    EmergencyContact(name=N_("PLN"), number="123"),
)

# Minutes an urgent report may wait in triage for a verifier, and the city's default for a
# department (its `urgent_ack_minutes`, which an admin may set within ACK_MINUTES_RANGE: time
# for a person to see the alert, and no longer than the urgent first response it guards).
TRIAGE_ACK_MINUTES = 30
ACK_MINUTES_RANGE = (5, int(URGENT_FIRST_RESPONSE.total_seconds()) // 60)

# Who is alerted at once, by the outbox's staff channel: the first audience anyone of which can
# be reached. The values are what the doors tell (the JSON API's `alerted`).
ALERTED: dict[str, str] = {"department": "department", "verifier": "verifiers", "admin": "admins"}
# What the citizen is told of who was alerted (by ALERTED's values; "" for nobody): only what
# is true, and when nobody could be reached, that the emergency lines are faster.
ALERTED_NOTICES: dict[str, str] = {
    "department": N_("Perangkat daerah yang berwenang sudah diberi tahu saat ini juga."),
    "verifiers": N_("Petugas verifikasi sudah diberi tahu saat ini juga."),
    "admins": N_("Admin layanan sudah diberi tahu saat ini juga."),
    "": N_(
        "Saat ini belum ada petugas yang dapat kami hubungi langsung: saluran darurat di atas "
        "jauh lebih cepat."
    ),
}
# Who hears that nobody acted in time.
UNANSWERED_CHANNELS = ("leadership", "admin")
# The timeline event of that step (staff only: core/reports/models.py STAFF_ONLY_EVENTS).
UNANSWERED_EVENT = "urgent_unanswered"


def contacts_for(*, urgent: bool) -> tuple[EmergencyContact, ...]:
    """The emergency lines a citizen is told with their report's receipt."""
    return EMERGENCY_CONTACTS if urgent else ()


async def alert(*, report: ReportRecord, event_id: int, payload: Mapping[str, Any]) -> str | None:
    """Queue the alert of an urgent report to the first audience that reaches somebody; who
    was alerted (a value of ALERTED), or None when nobody can be reached."""
    audiences = ("department", "verifier", "admin") if report.department else ("verifier", "admin")
    channel = await first_reached(channels=audiences, department_id=report.department)
    if channel is None:
        return None
    await outbox.enqueue(
        outbox.Message(
            dedupe_key=f"event:{event_id}:emergency:{channel}",
            channel=channel,
            template="emergency",
            report_id=report.id,
            department_id=report.department,
            payload={**payload, "event": "emergency"},
        )
    )
    return ALERTED[channel]


async def watch(*, report: ReportRecord, waiting: bool, moment: datetime) -> None:
    """Start (or restart, or stop when no longer `waiting`) the acknowledgement clock of an
    urgent report; inside the transaction of the change."""
    due = None
    if waiting:
        minutes = TRIAGE_ACK_MINUTES
        department = (await by_id()).get(report.department) if report.department else None
        if department is not None:
            minutes = department.urgent_ack_minutes
        due = moment + timedelta(minutes=minutes)
    await UrgentWatch.insert(UrgentWatch(report=report.id, ack_due=due)).on_conflict(
        target=UrgentWatch.report, action="DO UPDATE", values=[UrgentWatch.ack_due]
    )


async def retime_waiting(*, department_id: int, minutes: int, before: int) -> None:
    """A department's `urgent_ack_minutes` changed from `before` to `minutes`: its urgent
    reports waiting now are alerted on the new time, counted from their arrival. Inside the
    transaction of the change; a step already taken stays taken."""
    shift = timedelta(minutes=minutes - before)
    if not shift:
        return
    waiting = await UrgentWatch.select(UrgentWatch.id, UrgentWatch.ack_due).where(
        (UrgentWatch.report.department == department_id)
        & UrgentWatch.ack_due.is_not_null()
        & (UrgentWatch.alerted_due.is_null() | (UrgentWatch.alerted_due != UrgentWatch.ack_due))
    )
    for row in waiting:
        # Only if neither the job nor a re-route moved it since it was read.
        await UrgentWatch.update({UrgentWatch.ack_due: row["ack_due"] + shift}).where(
            (UrgentWatch.id == row["id"])
            & (UrgentWatch.ack_due == row["ack_due"])
            & (UrgentWatch.alerted_due.is_null() | (UrgentWatch.alerted_due != row["ack_due"]))
        )


_CLAIM = """
UPDATE urgent_watch SET alerted_due = ack_due
WHERE id = {} AND ack_due <= {} AND (alerted_due IS NULL OR alerted_due <> ack_due)
RETURNING report
"""


async def due_watches(*, moment: datetime, limit: int) -> list[int]:
    """Watches whose step is due and not yet taken (read without a lock: the claim decides)."""
    rows = await UrgentWatch.raw(
        "SELECT id FROM urgent_watch WHERE ack_due <= {} "
        "AND (alerted_due IS NULL OR alerted_due <> ack_due) ORDER BY ack_due LIMIT {}",
        moment,
        limit,
    )
    return [row["id"] for row in rows]


async def take_unanswered_step(*, watch_id: int, moment: datetime) -> bool:
    """Inside a write transaction: claim one watch's step (a compare-and-set, so one caller
    wins however many schedulers try) and write it: the report's timeline event and the
    alerts to leadership and the admins. False when another took it or somebody acted."""
    claimed = await UrgentWatch.raw(_CLAIM, watch_id, moment)
    if not claimed:
        return False
    report = (
        await Report.select(
            Report.id, Report.tracking_code, Report.status, Report.department, Report.urgent
        )
        .where(Report.id == claimed[0]["report"])
        .first()
    )
    watched = await UrgentWatch.select(UrgentWatch.ack_due).where(UrgentWatch.id == watch_id)
    if report is None or not watched:
        return False
    ack_due: datetime = watched[0]["ack_due"]
    await ReportEvent.insert(
        ReportEvent(
            report=report["id"],
            kind=UNANSWERED_EVENT,
            from_status=report["status"],
            to_status=report["status"],
            actor_kind="system",
            department=report["department"],
            detail={"ack_due": ack_due.isoformat()},
            created_at=moment,
        )
    )
    payload = {
        "tracking_code": report["tracking_code"],
        "status": report["status"],
        "event": UNANSWERED_EVENT,
        "urgent": True,
        "due_at": ack_due.isoformat(),
    }
    # The dedupe keys make a repeated step harmless even if the claim ever let one through.
    await outbox.enqueue(
        *(
            outbox.Message(
                dedupe_key=f"urgent:{report['id']}:{ack_due.isoformat()}:{channel}",
                channel=channel,
                template=UNANSWERED_EVENT,
                report_id=report["id"],
                department_id=report["department"],
                payload=payload,
            )
            for channel in UNANSWERED_CHANNELS
        ),
        skip_duplicates=True,
    )
    return True
