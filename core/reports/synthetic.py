"""Realistic synthetic history for demos and benchmarks, bulk-inserted.

Each report lives its life by the domain's own rules. It starts as core.reports.intake leaves
a new report (routed, or in triage when the classifier was unsure), moves only along
core.reports.lifecycle's transitions, and every clock a transition starts runs to the
deadline of core.service_levels.deadlines on the city's working-day calendar (urgent ones in
calendar hours). While a clock runs, the ladder of core.service_levels.escalation climbs as a
sweep would have climbed it: a reminder at half time, overdue at the deadline, escalated (with
a warning letter) at twice the deadline.

How fast each step comes is drawn from each department's habits: some answer within hours,
some let reports sit for weeks, some leave a share unanswered. Nothing happens after now: a
report whose next step would come later stays where it stands, with the deadline and ladder
state it has now. Texts come from the classifier's corpus; submissions are spread over the
last `days` days, more on working hours. Rows are dicts keyed by column and go in through
db.engine.insert_rows, each batch in one transaction.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from classifier.corpus import load_split
from core import clock
from core.place.boundaries import kecamatan_at
from core.readable import ALPHABET
from core.reports.lifecycle import TRANSITIONS, Status
from core.reports.scheduled import QUIET_PERIOD
from core.reports.tracking import PREFIX
from core.service_levels.calendar import WorkingCalendar
from core.service_levels.deadlines import Stage, deadline, ladder_times, working_calendar
from core.service_levels.ladder import STEPS
from core.service_levels.warning_letters import letter_number, render_letter
from core.staff.actors import ActorKind
from db.engine import analyze, current_engine, insert_rows, write_transaction
from db.tables import Citizen, Department, Report, ReportEvent, ReportLadder, WarningLetter

BATCH = 10_000
Progress = Callable[[int, int], None]
Row = dict[str, Any]

# Central Kota Malang and the spread of its five kecamatan.
_CENTRE = (-7.9797, 112.6304)
_POINT_ATTEMPTS = 20
_ANSWERS = (
    "Terima kasih atas laporannya. Tim kami sudah menindaklanjuti di lokasi.",
    "Sudah kami perbaiki hari ini. Mohon konfirmasi bila masih ada kendala.",
    "Laporan sudah kami koordinasikan dengan petugas lapangan dan selesai ditangani.",
)
_NOTES = {
    "reject": "Laporan ganda.",
    "refer": "Kewenangan Pemerintah Provinsi.",
    "reroute": "Bukan kewenangan kami; diteruskan ke perangkat daerah yang tepat.",
    "mark_field_work": "Perlu pekerjaan lapangan; jadwal pengerjaan sudah disusun.",
    "reopen": "Belum beres, masih sama seperti sebelumnya.",
}
# The departments most reports reach, as in the city's own intake.
_BUSY = frozenset({"DLH", "DPUPRPKP", "DISHUB"})


@dataclass(frozen=True)
class SeedResult:
    reports: int
    events: int
    citizens: int


@dataclass(frozen=True)
class _Habit:
    """How a department answers: median hours to act on a report, and the share it answers."""

    median_hours: float
    answer_rate: float


@dataclass
class _Clock:
    """A running deadline and how far its ladder has climbed."""

    start: datetime
    due: datetime
    set_at: datetime  # when a transition started it: a step already due comes then
    level: int = 0
    running: bool = True

    def steps(self) -> tuple[datetime, datetime, datetime]:
        reminder_at, escalate_at = ladder_times(start=self.start, due=self.due)
        return reminder_at, self.due, escalate_at


class _Story:
    """One report told from its submission to now: its row, its ladder row, its timeline
    and any warning letters, each a dict keyed by column."""

    def __init__(
        self,
        world: _World,
        *,
        report_id: int,
        ladder_id: int,
        department: Row,
        text: str,
        urgent: bool,
        created: datetime,
        citizen: int | None,
    ) -> None:
        self.world = world
        self.clock: _Clock | None = None
        self.events: list[Row] = []
        self.letters: list[Row] = []
        self.report: Row = {
            "id": report_id,
            "tracking_code": world.code(),
            "text": text,
            "status": None,
            "channel": "telegram" if citizen else world.rng.choice(["web", "api"]),
            "citizen": citizen,
            "department": None,
            "policy": None,
            "stance": None,
            "anonymous": world.rng.random() < 0.1,
            "confidential": world.rng.random() < 0.03,
            "urgent": urgent,
            "latitude": None,
            "longitude": None,
            "address": None,
            "kecamatan": None,
            "confidence": None,
            "needs_field_work": False,
            "created_at": created,
            "updated_at": created,
            "due_at": None,
            "first_response_at": None,
            "resolved_at": None,
            "closed_at": None,
            "ladder": ladder_id,
            "reopen_count": 0,
            "reroute_count": 0,
            "rating": None,
        }
        if world.rng.random() < 0.7:
            # Intake refuses a point outside the city, so the seed draws again until it is in.
            for _ in range(_POINT_ATTEMPTS):
                latitude = _CENTRE[0] + world.rng.gauss(0, 0.02)
                longitude = _CENTRE[1] + world.rng.gauss(0, 0.02)
                kecamatan = kecamatan_at(latitude, longitude)
                if kecamatan is not None:
                    self.report.update(latitude=latitude, longitude=longitude, kecamatan=kecamatan)
                    break
        self.home = department  # the department the text is really for

    # The lifecycle ------------------------------------------------------------------------

    def submit(self) -> None:
        """As core.reports.intake.submit_report: routed when the classifier is sure, else triage;
        now and then routed to the wrong department, which re-routes it later."""
        rng, created = self.world.rng, self.report["created_at"]
        if rng.random() < 0.25:
            self.report["confidence"] = round(rng.uniform(0.2, 0.55), 3)
            self._event("submitted", Status.TRIAGE, created, ActorKind.CITIZEN, detail=self._sent())
            self._start(Stage.TRIAGE, created)
            return
        department = self.home if rng.random() > 0.06 else self.world.other_than(self.home)
        self.report["department"] = department["id"]
        self.report["confidence"] = round(rng.uniform(0.6, 0.99), 3)
        self._event("submitted", Status.OPEN, created, ActorKind.CITIZEN, detail=self._sent())
        self._start(Stage.FIRST_RESPONSE, created)

    def live(self) -> None:
        """Take the next step while it comes before now; then climb the ladder up to now."""
        moment = self.report["created_at"]
        while (step := self._next(moment)) is not None:
            action, moment = step
            if moment > self.world.end:
                break
            self._take(action, moment)
        self._climb(self.world.end, inclusive=True)

    def _next(self, moment: datetime) -> tuple[str, datetime] | None:
        """The next action on the report and when it comes, drawn from the habits of the
        department holding it; None when nothing more will ever happen."""
        rng, report = self.world.rng, self.report
        status = report["status"]
        if status == Status.TRIAGE:
            action = rng.choices(["route", "reject", "refer"], [85, 10, 5])[0]
            hours = rng.uniform(0.5, 30) * (0.05 if report["urgent"] else 1.0)
            return action, moment + timedelta(hours=hours)
        if status not in {Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED}:
            return None
        habit = self.world.habits[report["department"]]
        hours = habit.median_hours * (0.1 if report["urgent"] else 1.0)
        if status == Status.OPEN:
            if report["department"] != self.home["id"]:
                return "reroute", moment + timedelta(hours=rng.lognormvariate(0, 1) * hours)
            if rng.random() > habit.answer_rate:
                return None  # this department leaves it unanswered
            action = rng.choices(["acknowledge", "resolve", "reject", "refer"], [84, 6, 6, 4])[0]
            return action, moment + timedelta(hours=rng.lognormvariate(0, 1) * hours)
        if status == Status.IN_PROGRESS:
            if not report["needs_field_work"] and rng.random() < 0.08:
                return "mark_field_work", moment + timedelta(hours=rng.uniform(2, 72))
            longer = 6 if report["needs_field_work"] else 3
            return "resolve", moment + timedelta(hours=rng.lognormvariate(0, 1) * hours * longer)
        # Resolved: the citizen confirms or says it is not fixed, or the quiet period ends it.
        if report["citizen"] and report["reopen_count"] < 2:
            if (chance := rng.random()) < 0.1:
                return "reopen", moment + timedelta(days=rng.uniform(0.2, 6))
            if chance < 0.65:
                return "close", moment + timedelta(days=rng.uniform(0.05, 6.9))
        return "close_quietly", moment + QUIET_PERIOD

    def _take(self, action: str, moment: datetime) -> None:
        """One transition, with the column changes its function in core.reports.lifecycle makes."""
        rng, report = self.world.rng, self.report
        self._climb(moment, inclusive=False)  # the steps that came first, in the state before
        actor = ActorKind.OFFICER
        note = _NOTES.get(action)
        detail: Row = {}
        if action == "route":
            report["department"] = self.home["id"]
            self._start(Stage.FIRST_RESPONSE, moment)
        elif action == "reroute":
            detail, note = {"reason": note, "to": self.home["code"]}, None
            report["department"] = self.home["id"]
            report["reroute_count"] += 1
            self._start(Stage.FIRST_RESPONSE, moment)
        elif action == "acknowledge":
            report["first_response_at"] = report["first_response_at"] or moment
            self._start(Stage.RESOLUTION, moment)
        elif action == "mark_field_work":
            report["needs_field_work"] = True
            self._start(Stage.RESOLUTION, report["first_response_at"] or moment, set_at=moment)
        elif action == "resolve":
            note = rng.choice(_ANSWERS)
            report["first_response_at"] = report["first_response_at"] or moment
            report["resolved_at"] = moment
            self._stop()
        elif action == "reopen":
            actor = ActorKind.CITIZEN
            report["resolved_at"] = None
            report["reopen_count"] += 1
            self._start(Stage.RESOLUTION, moment)
        elif action == "close":
            actor = ActorKind.CITIZEN
            report["rating"] = rng.choice([None, 1, 2, 3, 4, 4, 5, 5, 5])
            detail = {"rating": report["rating"]} if report["rating"] is not None else {}
            report["closed_at"] = moment
        elif action == "close_quietly":  # core.reports.scheduled, after the quiet period
            actor, action = ActorKind.SYSTEM, "close"
            report["closed_at"] = moment
        elif action in {"reject", "refer"}:
            report["closed_at"] = moment
            self._stop()
        transition = TRANSITIONS[action]
        if report["status"] not in transition.sources:
            raise AssertionError(f"{action} from {report['status']}: not a lifecycle transition")
        target = transition.target or Status(report["status"])
        self._event(transition.event, target, moment, actor, note=note, detail=detail)

    # Clocks and the ladder ----------------------------------------------------------------

    def _start(self, stage: Stage, start: datetime, *, set_at: datetime | None = None) -> None:
        """A new deadline (core.service_levels.deadlines.clock_started): the ladder starts again."""
        department = self.world.departments_by_id.get(self.report["department"], {})
        due = deadline(
            stage,
            start=start,
            calendar=self.world.calendar,
            urgent=self.report["urgent"],
            needs_field_work=self.report["needs_field_work"],
            first_response_days=department.get("first_response_days"),
            resolution_days=department.get("resolution_days"),
        )
        self.clock = _Clock(start=start, due=due, set_at=set_at or start)
        self.report["due_at"] = due

    def _stop(self) -> None:
        """Nothing is owed any more (core.service_levels.deadlines.clock_stopped); the level
        stays."""
        if self.clock:
            self.clock.running = False
        self.report["due_at"] = None

    def _climb(self, until: datetime, *, inclusive: bool) -> None:
        """The ladder steps of the running clock that came before `until`, each written as a
        sweep writes it, with a warning letter at the top when a department holds the report."""
        clock_ = self.clock
        if clock_ is None or not clock_.running:
            return
        steps = clock_.steps()
        while clock_.level < 3:
            at = max(steps[clock_.level], clock_.set_at)
            if at > until or (at == until and not inclusive):
                return
            clock_.level += 1
            step = STEPS[clock_.level]
            detail = {"level": clock_.level, "deadline": clock_.due.isoformat()}
            self._event(step, self.report["status"], at, ActorKind.SYSTEM, detail=detail)
            if step == "escalated" and self.report["department"] is not None:
                letter = self._letter(clock_.due, at)
                # One letter per report and deadline, as the sweep writes it (ON CONFLICT DO
                # NOTHING): a report re-routed to a clock with the same deadline earns none.
                if all(letter["number"] != earlier["number"] for earlier in self.letters):
                    self.letters.append(letter)

    # Rows -----------------------------------------------------------------------------------

    def _sent(self) -> Row:
        return {"channel": self.report["channel"], "confidence": self.report["confidence"]}

    def _event(
        self,
        kind: str,
        to_status: str,
        moment: datetime,
        actor: ActorKind,
        *,
        note: str | None = None,
        detail: Row | None = None,
    ) -> None:
        self.events.append(
            {
                "report": self.report["id"],
                "kind": kind,
                "from_status": self.report["status"],
                "to_status": to_status,
                "actor_kind": actor,
                "actor": None,
                "department": self.report["department"],
                "public_note": note,
                "detail": detail or {},
                "created_at": moment,
            }
        )
        if kind not in STEPS.values():  # a sweep changes only the ladder row
            self.report["status"] = to_status
            self.report["updated_at"] = moment

    def _letter(self, due: datetime, moment: datetime) -> Row:
        department = self.world.departments_by_id[self.report["department"]]
        code = self.report["tracking_code"]
        return {
            "number": letter_number(
                department_code=department["code"], tracking_code=code, deadline=due
            ),
            "department": department["id"],
            "report": self.report["id"],
            "deadline": due,
            "text": render_letter(
                department_name=department["name"],
                tracking_code=code,
                report_text=self.report["text"],
                deadline=due,
                issued_at=moment,
            ),
            "issued_at": moment,
        }

    def ladder(self) -> Row:
        """The ladder row as core.service_levels.escalation leaves it: a stopped clock keeps
        its level."""
        clock_ = self.clock
        assert clock_ is not None, "every report starts a clock when it is submitted"
        steps = clock_.steps()
        running = clock_.running
        return {
            "id": self.report["ladder"],
            "level": clock_.level,
            "next_escalation_at": steps[clock_.level] if running and clock_.level < 3 else None,
            "escalate_at": steps[2] if running else None,
        }


class _World:
    """What every story shares: the departments, their habits, the calendar, the clock."""

    def __init__(
        self,
        *,
        rng: random.Random,
        departments: list[Row],
        calendar: WorkingCalendar,
        citizen_ids: list[int],
        days: int,
        end: datetime,
        used_codes: set[str],
    ) -> None:
        self.rng = rng
        self.departments = departments
        self.departments_by_id = {d["id"]: d for d in departments}
        self.calendar = calendar
        self.citizen_ids = citizen_ids
        self.days = days
        self.end = end
        self.used_codes = used_codes
        self.texts: dict[str, list[tuple[str, bool]]] = {}
        for example in load_split("train"):
            if example.department:
                self.texts.setdefault(example.department, []).append((example.text, example.urgent))
        self.habits = {
            d["id"]: _Habit(
                median_hours=rng.lognormvariate(3.2, 0.9), answer_rate=rng.uniform(0.9, 0.995)
            )
            for d in departments
        }
        self.weights = [3.0 if d["code"] in _BUSY else 1.0 for d in departments]

    def story(self, report_id: int, ladder_id: int) -> _Story:
        rng = self.rng
        department = rng.choices(self.departments, weights=self.weights)[0]
        text, urgent = rng.choice(self.texts.get(department["code"]) or [("Laporan warga", False)])
        story = _Story(
            self,
            report_id=report_id,
            ladder_id=ladder_id,
            department=department,
            text=text,
            urgent=urgent,
            created=self.submission_time(),
            citizen=rng.choice(self.citizen_ids) if rng.random() < 0.6 else None,
        )
        story.submit()
        story.live()
        return story

    def other_than(self, department: Row) -> Row:
        return self.rng.choice([d for d in self.departments if d["id"] != department["id"]])

    def submission_time(self) -> datetime:
        """Weekdays and daytime (WIB) more likely, as real intake is."""
        rng = self.rng
        while True:
            moment = self.end - timedelta(seconds=rng.uniform(0, self.days * 86400))
            local = moment.astimezone(self.calendar.tz)
            weight = (1.0 if 6 <= local.hour <= 22 else 0.25) * (
                1.0 if local.weekday() < 5 else 0.6
            )
            if rng.random() < weight:
                return moment

    def code(self) -> str:
        while True:
            code = f"{PREFIX}-" + "".join(self.rng.choice(ALPHABET) for _ in range(6))
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code


async def seed_history(
    *, reports: int, days: int, seed: int = 7, progress: Progress | None = None
) -> SeedResult:
    engine = current_engine()
    end = clock.now()
    existing = {row["tracking_code"] for row in await Report.select(Report.tracking_code)}
    next_id = await _next_id(Report)
    next_ladder_id = await _next_id(ReportLadder)
    citizen_ids = await _make_citizens(count=max(1, reports // 5), moment=end)
    world = _World(
        rng=random.Random(seed),
        departments=await Department.select(
            Department.id,
            Department.code,
            Department.name,
            Department.first_response_days,
            Department.resolution_days,
        ),
        calendar=await working_calendar(),
        citizen_ids=citizen_ids,
        days=days,
        end=end,
        used_codes=existing,
    )

    def tell(start: int) -> list[_Story]:
        size = min(BATCH, reports - start)
        return [world.story(next_id + start + i, next_ladder_id + start + i) for i in range(size)]

    async def write(stories: list[_Story]) -> None:
        # One transaction a batch, parents first.
        async with write_transaction():
            await insert_rows(ReportLadder, [story.ladder() for story in stories])
            await insert_rows(Report, [story.report for story in stories])
            await insert_rows(ReportEvent, [event for story in stories for event in story.events])
            await insert_rows(
                WarningLetter, [letter for story in stories for letter in story.letters]
            )

    # The database takes in one batch while the next is told: about half a batch's time went
    # to waiting for it (one after the other, 1,400 reports/s at 100,000 on the loaded 2-core
    # machine). The stories are told in order in one thread, so a seed tells the same history.
    written_reports = written_events = 0
    writing: asyncio.Task[None] | None = None
    for start in range(0, reports, BATCH):
        stories = await asyncio.to_thread(tell, start)
        if writing:
            await writing
            if progress:
                progress(written_reports, reports)
        writing = asyncio.create_task(write(stories))
        written_reports += len(stories)
        written_events += sum(len(story.events) for story in stories)
    if writing:
        await writing
        if progress:
            progress(written_reports, reports)
    if isinstance(engine, PostgresEngine):
        for table in ("report_ladder", "report", "report_event", "citizen", "warning_letter"):
            await engine.run_ddl(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    await analyze(ReportLadder, Report, ReportEvent, Citizen, WarningLetter)
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
    primary = table._meta.primary_key
    last = await table.select(primary).order_by(primary, ascending=False).first()
    return (last[primary._meta.name] if last else 0) + 1
