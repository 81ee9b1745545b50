"""Realistic synthetic history for demos and benchmarks, bulk-inserted.

Reports are spread over the last `days` days (more on working hours), their texts taken from
the classifier's corpus, their fate drawn by age and by each department's habits: some
departments answer within hours, some let reports sit for weeks. Every report gets the
timeline events its status implies. Rows go in through db.engine.insert_rows, a transaction
per batch.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from classifier.corpus import load_split
from core import clock
from core.tracking import ALPHABET, PREFIX
from db.engine import current_engine, insert_rows, write_transaction
from db.tables import Citizen, Department, Report, ReportEvent, ReportLadder

BATCH = 10_000
Progress = Callable[[int, int], None]

REPORT_COLUMNS = (
    "id", "tracking_code", "text", "status", "channel", "citizen", "department", "policy",
    "stance", "anonymous", "confidential", "urgent", "latitude", "longitude", "address",
    "confidence", "needs_field_work", "created_at", "updated_at", "due_at",
    "first_response_at", "resolved_at", "closed_at", "ladder", "reopen_count", "reroute_count",
    "rating",
)  # fmt: skip
LADDER_COLUMNS = ("id", "level", "next_escalation_at", "escalate_at")
EVENT_COLUMNS = (
    "report", "kind", "from_status", "to_status", "actor_kind", "actor", "department",
    "public_note", "detail", "created_at",
)  # fmt: skip

# Share of each fate by the report's age in days: (max age, {status: weight}).
_FATES: tuple[tuple[float, dict[str, float]], ...] = (
    (1, {"triage": 15, "open": 45, "in_progress": 30, "resolved": 10}),
    (14, {"triage": 3, "open": 15, "in_progress": 35, "resolved": 25, "closed": 15,
          "rejected": 4, "referred": 3}),
    (float("inf"), {"open": 3, "in_progress": 7, "resolved": 5, "closed": 75, "rejected": 6,
                    "referred": 4}),
)  # fmt: skip
# Central Kota Malang and the spread of its five kecamatan.
_CENTRE = (-7.9797, 112.6304)
_ANSWERS = (
    "Terima kasih atas laporannya. Tim kami sudah menindaklanjuti di lokasi.",
    "Sudah kami perbaiki hari ini. Mohon konfirmasi bila masih ada kendala.",
    "Laporan sudah kami koordinasikan dengan petugas lapangan dan selesai ditangani.",
)


@dataclass(frozen=True)
class SeedResult:
    reports: int
    events: int
    citizens: int


def _timestamps(rng: random.Random, *, days: int, end: datetime) -> datetime:
    """A submission time: weekdays and daytime (WIB) more likely, as real intake is."""
    while True:
        moment = end - timedelta(seconds=rng.uniform(0, days * 86400))
        local_hour = (moment.hour + 7) % 24
        weekday = (moment + timedelta(hours=7)).weekday()
        weight = (1.0 if 6 <= local_hour <= 22 else 0.25) * (1.0 if weekday < 5 else 0.6)
        if rng.random() < weight:
            return moment


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        code = f"{PREFIX}-" + "".join(rng.choice(ALPHABET) for _ in range(6))
        if code not in used:
            used.add(code)
            return code


class _Generator:
    def __init__(
        self,
        *,
        rng: random.Random,
        departments: list[dict[str, Any]],
        citizen_ids: list[int],
        days: int,
        end: datetime,
        used_codes: set[str],
    ) -> None:
        self.rng = rng
        self.departments = departments
        self.citizen_ids = citizen_ids
        self.days = days
        self.end = end
        self.used_codes = used_codes
        examples = [e for e in load_split("train") if e.department]
        self.texts: dict[str | None, list[tuple[str, bool]]] = {}
        for example in examples:
            self.texts.setdefault(example.department, []).append((example.text, example.urgent))
        # Each department's habit: median hours to first response, share answered at all.
        self.habit = {
            d["code"]: (rng.lognormvariate(3.2, 0.9), rng.uniform(0.75, 0.98)) for d in departments
        }
        self.weights = [
            3.0 if d["code"] in {"DLH", "DPUPRPKP", "DISHUB"} else 1.0 for d in departments
        ]

    def report(
        self, report_id: int, ladder_id: int
    ) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        """One report's row, its ladder row and its timeline events."""
        rng = self.rng
        department = rng.choices(self.departments, weights=self.weights)[0]
        text, urgent = rng.choice(self.texts.get(department["code"]) or [("Laporan warga", False)])
        created = _timestamps(rng, days=self.days, end=self.end)
        age_days = (self.end - created).total_seconds() / 86400
        fate = next(weights for limit, weights in _FATES if age_days <= limit)
        status = rng.choices(list(fate), weights=list(fate.values()))[0]
        median_hours, answer_rate = self.habit[department["code"]]
        if status in {"in_progress", "resolved", "closed"} and rng.random() > answer_rate:
            status = "open"  # this department left it unanswered
        events: list[dict[str, Any]] = []

        def event(kind: str, before: str | None, after: str, at: datetime, note: str | None = None,
                  actor: str = "officer") -> None:  # fmt: skip
            handler = None if after == "triage" else department["id"]
            events.append(dict(zip(EVENT_COLUMNS, (
                report_id, kind, before, after, actor, None, handler, note, {}, at,
            ), strict=True)))  # fmt: skip

        via_triage = status == "triage" or rng.random() < 0.25
        routed_at = created + timedelta(hours=rng.uniform(0.5, 20)) if via_triage else created
        event("submitted", None, "triage" if via_triage else "open", created, actor="citizen")
        if status == "triage":
            routed_at = None
        elif via_triage:
            event("routed", "triage", "open", routed_at)
        first_response = resolved = closed = None
        moment = routed_at or created
        if status in {"in_progress", "resolved", "closed"}:
            first_response = moment + timedelta(hours=rng.lognormvariate(0, 1) * median_hours)
            event("acknowledged", "open", "in_progress", first_response)
        if status in {"resolved", "closed"}:
            resolved = first_response + timedelta(hours=rng.lognormvariate(0, 1) * median_hours * 3)
            event("resolved", "in_progress", "resolved", resolved, rng.choice(_ANSWERS))
        if status == "closed":
            closed = resolved + timedelta(days=rng.uniform(0.1, 7))
            event("closed", "resolved", "closed", closed, actor=rng.choice(["citizen", "system"]))
        if status in {"rejected", "referred"}:
            closed = moment + timedelta(hours=rng.uniform(1, 48))
            note = "Laporan ganda." if status == "rejected" else "Kewenangan Pemerintah Provinsi."
            event(status, "open", status, closed, note)
        last = max(row["created_at"] for row in events)
        if last > self.end:  # a drawn delay ran past today: the report is still waiting
            events = [row for row in events if row["created_at"] <= self.end]
            status = events[-1]["to_status"]
            first_response = (
                first_response if first_response and first_response <= self.end else None
            )
            resolved = resolved if resolved and resolved <= self.end else None
            closed = closed if closed and closed <= self.end else None
            last = events[-1]["created_at"]
        # Deadlines approximated in calendar days (3 and 14 working days); the ladder state
        # is what a scheduler that never missed a sweep would have left.
        start = {"triage": created, "open": routed_at or created,
                 "in_progress": first_response or created}.get(status)  # fmt: skip
        length = {"triage": 1, "open": 3 * 7 / 5, "in_progress": 14 * 7 / 5}.get(status, 0)
        due = start + timedelta(days=length) if start else None
        level, next_step, escalate = 0, None, None
        if start and due:
            escalate = due + (due - start)
            steps = [start + (due - start) / 2, due, escalate]
            level = sum(step <= self.end for step in steps)
            next_step = steps[level] if level < 3 else None
        lat, lon = (
            (_CENTRE[0] + rng.gauss(0, 0.02), _CENTRE[1] + rng.gauss(0, 0.02))
            if rng.random() < 0.7
            else (None, None)
        )
        has_citizen = self.citizen_ids and rng.random() < 0.6
        rated = status == "closed" and rng.random() < 0.6
        rating = rng.choice([1, 2, 3, 4, 4, 5, 5]) if rated else None
        report = dict(zip(REPORT_COLUMNS, (
            report_id, _code(rng, self.used_codes), text, status,
            rng.choice(["telegram", "telegram", "web", "api"]),
            rng.choice(self.citizen_ids) if has_citizen else None,
            None if status == "triage" else department["id"], None, None,
            rng.random() < 0.1, rng.random() < 0.03, urgent,
            lat, lon, None,
            round(rng.uniform(0.5, 0.99), 3), False, created, last, due,
            first_response, resolved, closed, ladder_id, 0,
            int(via_triage and status != "triage"),
            rating,
        ), strict=True))  # fmt: skip
        ladder = dict(zip(LADDER_COLUMNS, (ladder_id, level, next_step, escalate), strict=True))
        return report, ladder, events


async def seed_history(
    *, reports: int, days: int, seed: int = 7, progress: Progress | None = None
) -> SeedResult:
    engine = current_engine()
    rng = random.Random(seed)
    end = clock.now()
    departments = await Department.select(Department.id, Department.code)
    existing = {row["tracking_code"] for row in await Report.select(Report.tracking_code)}
    next_id = await _next_id(Report)
    next_ladder_id = await _next_id(ReportLadder)
    citizen_ids = await _make_citizens(count=max(1, reports // 5), moment=end)
    generator = _Generator(
        rng=rng, departments=departments, citizen_ids=citizen_ids, days=days, end=end,
        used_codes=existing,
    )  # fmt: skip
    written_reports = written_events = 0
    for start in range(0, reports, BATCH):
        size = min(BATCH, reports - start)
        rows = [
            generator.report(next_id + start + i, next_ladder_id + start + i) for i in range(size)
        ]
        event_rows = [event for _, _, events in rows for event in events]
        # One transaction a batch, parents first.
        async with write_transaction():
            await insert_rows(ReportLadder, [ladder for _, ladder, _ in rows])
            await insert_rows(Report, [report for report, _, _ in rows])
            await insert_rows(ReportEvent, event_rows)
        written_reports += size
        written_events += len(event_rows)
        if progress:
            progress(written_reports, reports)
    if isinstance(engine, PostgresEngine):
        for table in ("report_ladder", "report", "report_event", "citizen"):
            await engine.run_ddl(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    return SeedResult(reports=written_reports, events=written_events, citizens=len(citizen_ids))


async def _make_citizens(*, count: int, moment: datetime) -> list[int]:
    ids: list[int] = []
    for start in range(0, count, 2_000):  # PostgreSQL takes at most 32,767 query arguments
        rows = await Citizen.insert(
            *[
                Citizen(channel="telegram", language="id", created_at=moment)
                for _ in range(min(2_000, count - start))
            ]
        ).returning(Citizen.id)
        ids.extend(row["id"] for row in rows)
    return ids


async def _next_id(table: type[Table]) -> int:
    last = await table.select(table.id).order_by(table.id, ascending=False).first()
    return (last["id"] if last else 0) + 1
