"""`ingatkan seed`'s history holds to the domain's rules, on both engines: every timeline is a
walk along the lifecycle's transitions, every deadline is the one core's service levels give,
and the ladder stands where the escalation sweep would have left it."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from core import clock
from core.reports.lifecycle import ACTIVE, TRANSITIONS
from core.reports.synthetic import seed_history
from core.service_levels.deadlines import (
    URGENT_FIRST_RESPONSE,
    URGENT_RESOLUTION,
    Stage,
    deadline,
    ladder_times,
    working_calendar,
)
from core.service_levels.escalation import STEPS
from db.tables import Department, Report, ReportEvent, ReportLadder, WarningLetter

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Malang
LADDER = frozenset(STEPS.values())
SECOND = timedelta(seconds=1)
# Events that start a clock, and which one (re-routing and routing restart first response).
CLOCK_STARTS = {
    "submitted": None,  # triage or first response, by the status it leads to
    "routed": Stage.FIRST_RESPONSE,
    "rerouted": Stage.FIRST_RESPONSE,
    "acknowledged": Stage.RESOLUTION,
    "reopened": Stage.RESOLUTION,
    "field_work": Stage.RESOLUTION,
}


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _detail(event: dict) -> dict:
    detail = event["detail"]
    return json.loads(detail) if isinstance(detail, str) else detail


async def _seeded() -> tuple[list[dict], dict[int, list[dict]], dict[int, dict], dict[int, dict]]:
    with clock.frozen_at(NOW):
        result = await seed_history(reports=400, days=120, seed=3)
    assert result.reports == 400
    reports = await Report.select().order_by(Report.id)
    timelines: dict[int, list[dict]] = defaultdict(list)
    for event in await ReportEvent.select().order_by(ReportEvent.created_at, ReportEvent.id):
        timelines[event["report"]].append(event)
    ladders = {row["id"]: row for row in await ReportLadder.select()}
    departments = {row["id"]: row for row in await Department.select()}
    return reports, timelines, ladders, departments


async def test_every_timeline_walks_the_lifecycle(db: str) -> None:
    reports, timelines, _, _ = await _seeded()
    by_event = {transition.event: transition for transition in TRANSITIONS.values()}
    statuses = set()
    for report in reports:
        events = timelines[report["id"]]
        assert events[0]["kind"] == "submitted" and events[0]["from_status"] is None
        status = events[0]["to_status"]
        for event in events[1:]:
            assert _moment(event["created_at"]) <= NOW
            assert event["from_status"] == status, (report["tracking_code"], event["kind"])
            if event["kind"] in LADDER:
                assert event["to_status"] == status and status in ACTIVE
                assert event["actor_kind"] == "system"
                continue
            transition = by_event[event["kind"]]
            assert status in transition.sources, (report["tracking_code"], event["kind"])
            assert event["to_status"] == (transition.target or status)
            status = event["to_status"]
        assert report["status"] == status
        statuses.add(status)
    # Triage lasts hours, so few of a history's reports are still in it.
    assert {"open", "in_progress", "resolved", "closed", "rejected", "referred"} <= statuses


async def test_deadlines_and_ladder_follow_the_service_levels(db: str) -> None:
    reports, timelines, ladders, departments = await _seeded()
    calendar = await working_calendar()
    letters = await WarningLetter.count()
    escalated_with_department = 0
    for report in reports:
        events = timelines[report["id"]]
        ladder = ladders[report["ladder"]]
        escalated_with_department += sum(
            e["kind"] == "escalated" and e["department"] is not None for e in events
        )
        if report["status"] not in ACTIVE:
            assert report["due_at"] is None
            assert ladder["next_escalation_at"] is None and ladder["escalate_at"] is None
            continue
        starts = [i for i, e in enumerate(events) if e["kind"] in CLOCK_STARTS]
        started = events[starts[-1]]
        stage = CLOCK_STARTS[started["kind"]] or (
            Stage.TRIAGE if started["to_status"] == "triage" else Stage.FIRST_RESPONSE
        )
        department = departments.get(report["department"], {})
        start = _moment(started["created_at"])
        if started["kind"] == "field_work":
            start = _moment(report["first_response_at"])
        due = deadline(
            stage,
            start=start,
            calendar=calendar,
            urgent=report["urgent"],
            needs_field_work=report["needs_field_work"],
            first_response_days=department.get("first_response_days"),
            resolution_days=department.get("resolution_days"),
        )
        assert _moment(report["due_at"]) == due, report["tracking_code"]
        climbed = [e for e in events[starts[-1] + 1 :] if e["kind"] in LADDER]
        assert [e["kind"] for e in climbed] == [STEPS[n] for n in range(1, len(climbed) + 1)]
        assert [_detail(e) for e in climbed] == [
            {"level": n, "deadline": due.isoformat()} for n in range(1, len(climbed) + 1)
        ]
        assert ladder["level"] == len(climbed)
        reminder_at, escalate_at = ladder_times(start=start, due=due)
        steps = (reminder_at, due, escalate_at)
        assert _moment(ladder["escalate_at"]) == steps[2]
        if ladder["level"] < 3:
            assert _moment(ladder["next_escalation_at"]) == steps[ladder["level"]] > NOW
        else:
            assert ladder["next_escalation_at"] is None
    assert escalated_with_department > 0
    assert letters == escalated_with_department


async def test_the_figures_of_a_demo_are_the_ones_the_product_would_show(db: str) -> None:
    """What leadership reads off a seeded history: re-routed only when re-routed, every
    escalation level backed by its events and letters, urgent reports on urgent deadlines."""
    reports, timelines, ladders, _ = await _seeded()
    letters: dict[int, list[dict]] = defaultdict(list)
    for letter in await WarningLetter.select():
        letters[letter["report"]].append(letter)
    rerouted = {
        r["id"] for r in reports if any(e["kind"] == "rerouted" for e in timelines[r["id"]])
    }
    assert {r["id"] for r in reports if r["reroute_count"] > 0} == rerouted
    assert sum(r["reroute_count"] for r in reports) == sum(
        e["kind"] == "rerouted" for r in reports for e in timelines[r["id"]]
    )
    routed = [r for r in reports if r["department"] is not None]
    assert 0 < len(rerouted) < 0.1 * len(routed)  # a few misrouted reports, not every routing

    at_level = defaultdict(int)
    for report in reports:
        events = timelines[report["id"]]
        level = ladders[report["ladder"]]["level"]
        at_level[level] += 1
        last_start = max(i for i, e in enumerate(events) if e["kind"] in CLOCK_STARTS)
        climbed = [e["kind"] for e in events[last_start + 1 :] if e["kind"] in LADDER]
        assert climbed == [STEPS[n] for n in range(1, level + 1)], report["tracking_code"]
        escalations = [e for e in events if e["kind"] == "escalated" and e["department"]]
        assert len(letters[report["id"]]) == len(escalations), report["tracking_code"]
        assert sorted(_moment(x["issued_at"]) for x in letters[report["id"]]) == sorted(
            _moment(e["created_at"]) for e in escalations
        )
    assert at_level[3] > 0 and at_level[3] < 0.2 * len(reports)

    urgent = [r for r in reports if r["urgent"] and r["status"] in ACTIVE]
    assert urgent, "a history has urgent reports still open"
    for report in urgent:
        started = [e for e in timelines[report["id"]] if e["kind"] in CLOCK_STARTS][-1]
        start = _moment(started["created_at"])
        if started["kind"] == "field_work":
            start = _moment(report["first_response_at"])
        allowed = (
            URGENT_FIRST_RESPONSE if report["status"] in ("triage", "open") else URGENT_RESOLUTION
        )
        # Deadlines are kept to the whole second, rounded up.
        assert _moment(report["due_at"]) - start <= allowed + SECOND, report["tracking_code"]
