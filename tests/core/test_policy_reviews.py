"""Policy correction in the domain, on both engines: pressure counts distinct citizens, a
crossing opens one review, its deadline climbs the ladder, and a decision reaches every
citizen who spoke up exactly once."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import clock
from core.errors import Conflict, Forbidden, InvalidInput
from core.policies.links import link_report
from core.policies.matching import suggest_policy
from core.policies.models import ReviewChecks
from core.policies.pressure import pressures
from core.policies.reviews import decide, open_due_reviews, sweep_reviews
from core.policies.scheduled import review_checks
from core.reports.intake import Reporter, submit_report
from core.staff.accounts import staff_member
from core.staff.actors import Actor, ActorKind, Role
from core.staff.users import create_user
from db.tables import Citizen, OutboxMessage, Policy, PolicyReview, Report
from tests.helpers import FixedRouter, perform

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
PARKING = "PERWAL-2024-PARKIR"  # owned by DISHUB
OBJECTION = "Tarif parkir Rp5.000 di Kayutangan terlalu mahal, jukir juga tetap minta uang tunai"


async def telegram_citizens(count: int, *, first_chat: int = 700_000) -> list[int]:
    rows = await Citizen.insert(
        *[
            Citizen(channel="telegram", telegram_chat_id=first_chat + n, created_at=clock.now())
            for n in range(count)
        ]
    ).returning(Citizen.id)
    return [row["id"] for row in rows]


async def speak(
    citizen_id: int | None,
    *,
    stance: str = "objection",
    text: str = OBJECTION,
    channel: str = "telegram",
    reporter: Reporter | None = None,
) -> dict:
    return await submit_report(
        text=text,
        channel=channel,
        router=FixedRouter("DPUPRPKP"),
        policy_code=PARKING,
        stance=stance,
        citizen_id=citizen_id,
        reporter=reporter,
    )


async def parking_pressure():
    (found,) = [p for p in await pressures() if p.code == PARKING]
    return found


async def staff(username: str, role: str, department: str | None = None) -> Actor:
    user = await create_user(
        username=username,
        full_name=username.title(),
        password="kata-sandi-uji-123",
        role=role,
        department_code=department,
        actor=Actor.system(),
    )
    return Actor(
        kind=ActorKind.OFFICER,
        user_id=user.id,
        role=Role(role),
        department_id=(await staff_member(user.id)).department_id,
    )


async def decisions_queued(review_id: int) -> list[dict]:
    return await OutboxMessage.select(
        OutboxMessage.citizen, OutboxMessage.report, OutboxMessage.payload
    ).where(OutboxMessage.dedupe_key.like(f"policy_decision:{review_id}:%"))


async def test_one_citizen_sending_fifty_objections_is_one_objector(db: str) -> None:
    (loud,) = await telegram_citizens(1)
    for _ in range(50):
        await speak(loud)
    # Web forms without contact details are objections nobody can tell apart: no objector.
    for _ in range(30):
        await speak(None, channel="web")
    # Email addresses typed into a form prove nobody: objections, not objectors.
    for email in ("warga@example.id", "lain@example.id"):
        await speak(None, channel="web", reporter=Reporter(email=email))
    pressure = await parking_pressure()
    assert (pressure.objections, pressure.objectors) == (82, 1)
    assert "jukir" in dict(pressure.themes)
    assert await review_checks() == ReviewChecks(opened=0, reminder=0, overdue=0, escalated=0)

    others = await telegram_citizens(23, first_chat=710_000)
    for citizen_id in others:
        await speak(citizen_id)
    assert (await parking_pressure()).objectors == 24
    assert await open_due_reviews() == []
    # suggestions and support are voices, but not objections
    for citizen_id in await telegram_citizens(5, first_chat=720_000):
        await speak(citizen_id, stance="support")
    assert await open_due_reviews() == []

    (last,) = await telegram_citizens(1, first_chat=730_000)
    await speak(last)
    opened = await open_due_reviews()
    assert len(opened) == 1
    assert await open_due_reviews() == []  # the same crossing never opens a second review
    review = await PolicyReview.select().where(PolicyReview.id == opened[0]).first()
    assert (review["objectors"], review["objections"], review["threshold"]) == (25, 106, 25)
    policy = await Policy.select(Policy.status).where(Policy.code == PARKING).first()
    assert policy["status"] == "under_review"
    messages = await OutboxMessage.select(
        OutboxMessage.channel, OutboxMessage.template, OutboxMessage.payload
    ).where(OutboxMessage.template.like("policy_review%"))
    assert [(m["channel"], m["template"]) for m in messages] == [
        ("department_head", "policy_review_opened")
    ]
    payload = messages[0]["payload"]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert payload["objectors"] == 25 and payload["policy_code"] == PARKING


async def test_made_up_email_addresses_do_not_open_a_review_telegram_accounts_do(db: str) -> None:
    for n in range(25):
        await speak(None, channel="api", reporter=Reporter(email=f"warga{n}@contoh.invalid"))
    pressure = await parking_pressure()
    assert (pressure.objections, pressure.objectors) == (25, 0)
    assert await open_due_reviews() == []
    for citizen_id in await telegram_citizens(25):
        await speak(citizen_id)
    pressure = await parking_pressure()
    assert (pressure.objections, pressure.objectors) == (50, 25)
    assert len(await open_due_reviews()) == 1


async def test_only_objections_inside_the_policys_window_count(db: str) -> None:
    await Policy.update({Policy.review_threshold: 3, Policy.review_window_days: 7}).where(
        Policy.code == PARKING
    )
    citizens = await telegram_citizens(3)
    with clock.frozen_at(MONDAY_9 - timedelta(days=8)):
        await speak(citizens[0])  # eight days ago: outside a seven-day window
    for citizen_id in citizens[1:]:
        with clock.frozen_at(MONDAY_9 - timedelta(days=1)):
            await speak(citizen_id)
    with clock.frozen_at(MONDAY_9):
        assert (await parking_pressure()).objectors == 2
        assert await open_due_reviews() == []
        await speak(citizens[0])
        (review_id,) = await open_due_reviews()
    review = await PolicyReview.select().where(PolicyReview.id == review_id).first()
    assert review["window_days"] == 7
    # 14 working days from Monday 30 November 09:00 WIB
    assert review["due_at"] == datetime(2026, 12, 18, 9, 0, tzinfo=WIB)


async def test_concurrent_checks_open_a_crossing_exactly_once(db: str) -> None:
    await Policy.update({Policy.review_threshold: 5}).where(Policy.code == PARKING)
    for citizen_id in await telegram_citizens(5):
        await speak(citizen_id)
    results = await asyncio.gather(*(open_due_reviews() for _ in range(6)))
    assert sum(len(opened) for opened in results) == 1
    assert await PolicyReview.count() == 1
    assert await OutboxMessage.count().where(OutboxMessage.template == "policy_review_opened") == 1


async def _open_parking_review(citizens: int = 5) -> tuple[int, list[int]]:
    await Policy.update({Policy.review_threshold: citizens}).where(Policy.code == PARKING)
    ids = await telegram_citizens(citizens)
    for citizen_id in ids:
        await speak(citizen_id)
    (review_id,) = await open_due_reviews()
    return review_id, ids


async def test_the_review_deadline_climbs_the_ladder_each_step_once(db: str) -> None:
    review_id, _ = await _open_parking_review()
    review = await PolicyReview.select().where(PolicyReview.id == review_id).first()
    opened, due = review["opened_at"], review["due_at"]
    half = opened + (due - opened) / 2
    twice = due + (due - opened)

    async def sweep_at(moment: datetime) -> dict[str, int]:
        with clock.frozen_at(moment):
            return (await sweep_reviews()).steps

    assert await sweep_at(half - timedelta(minutes=1)) == {
        "reminder": 0,
        "overdue": 0,
        "escalated": 0,
    }
    assert (await sweep_at(half))["reminder"] == 1
    assert sum((await sweep_at(half + timedelta(hours=1))).values()) == 0
    assert (await sweep_at(due))["overdue"] == 1
    assert (await sweep_at(twice + timedelta(days=30)))["escalated"] == 1
    assert sum((await sweep_at(twice + timedelta(days=60))).values()) == 0
    rows = await OutboxMessage.select(OutboxMessage.channel, OutboxMessage.template).where(
        OutboxMessage.dedupe_key.like(f"policy_review:{review_id}:%")
    )
    assert sorted((row["template"], row["channel"]) for row in rows) == [
        ("policy_review_escalated", "leadership"),
        ("policy_review_opened", "department_head"),
        ("policy_review_overdue", "department_head"),
        ("policy_review_reminder", "department_head"),
    ]
    review = await PolicyReview.select(PolicyReview.escalation_level).first()
    assert review["escalation_level"] == 3


async def test_a_scheduler_that_was_down_catches_up_one_step_at_a_time(db: str) -> None:
    await _open_parking_review()
    with clock.frozen_at(clock.now() + timedelta(days=90)):
        assert (await sweep_reviews()).steps == {"reminder": 1, "overdue": 1, "escalated": 1}


async def test_the_decision_reaches_every_citizen_who_spoke_up_exactly_once(db: str) -> None:
    review_id, objectors = await _open_parking_review()
    await speak(objectors[0])  # a second objection from the same citizen
    (supporter,) = await telegram_citizens(1, first_chat=800_000)
    await speak(supporter, stance="suggestion")
    spam = await speak(supporter, text="Iklan pinjaman online cepat cair hubungi nomor ini")
    await perform("reject", spam.tracking_code)
    head = await staff("kadishub", "head", "DISHUB")
    other_head = await staff("kadlh", "head", "DLH")
    officer = await staff("petugas", "officer", "DISHUB")
    for actor in (other_head, officer):
        with pytest.raises(Forbidden):
            await decide(
                review_id=review_id, decision="keep", rationale="Tarif tetap wajar.", actor=actor
            )
    with pytest.raises(InvalidInput) as error:
        await decide(
            review_id=review_id,
            decision="revise",
            rationale="Tarif terlalu tinggi bagi warga.",
            actor=head,
        )
    assert error.value.field == "changes"
    with pytest.raises(InvalidInput) as error:
        await decide(review_id=review_id, decision="abolish", rationale="x" * 20, actor=head)
    assert error.value.field == "decision"
    assert await OutboxMessage.count().where(OutboxMessage.template == "policy_decision") == 0

    decided = await decide(
        review_id=review_id,
        decision="revise",
        rationale="Tarif motor terlalu tinggi dibanding zona lain; warga benar.",
        changes="Tarif motor turun menjadi Rp2.000; pembayaran tunai tetap diterima.",
        changes_from=date(2027, 1, 1),
        actor=head,
    )
    assert decided.notified == 6  # five objectors and one who suggested
    queued = await decisions_queued(review_id)
    assert sorted(row["citizen"] for row in queued) == sorted([*objectors, supporter])
    payload = queued[0]["payload"]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert payload["decision"] == "revise" and payload["changes_from"] == "2027-01-01"
    assert all(row["report"] != spam.id for row in queued)
    policy = await Policy.select(Policy.status).where(Policy.code == PARKING).first()
    assert policy["status"] == "revised"
    with pytest.raises(Conflict):
        await decide(review_id=review_id, decision="keep", rationale="Tetap saja.", actor=head)
    assert len(await decisions_queued(review_id)) == 6
    # The decision answered these objections: the same objectors do not reopen it.
    assert await open_due_reviews() == []
    assert (await parking_pressure()).objectors == 0


async def test_two_heads_deciding_at_once_publish_one_decision(db: str) -> None:
    review_id, _ = await _open_parking_review()
    head = await staff("kadishub", "head", "DISHUB")
    admin = await staff("admin", "admin")
    results = await asyncio.gather(
        decide(review_id=review_id, decision="keep", rationale="Tarif tetap wajar.", actor=head),
        decide(review_id=review_id, decision="revoke", rationale="Dicabut saja.", actor=admin),
        return_exceptions=True,
    )
    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert await OutboxMessage.count().where(OutboxMessage.template == "policy_decision") == 5


async def test_a_new_crossing_after_a_decision_opens_a_new_review_for_the_new_voices(
    db: str,
) -> None:
    first, _ = await _open_parking_review()
    head = await staff("kadishub", "head", "DISHUB")
    await decide(review_id=first, decision="keep", rationale="Tarif tetap wajar.", actor=head)
    newcomers = await telegram_citizens(5, first_chat=900_000)
    for citizen_id in newcomers:
        await speak(citizen_id)
    (second,) = await open_due_reviews()
    assert second != first
    await decide(review_id=second, decision="keep", rationale="Masih wajar juga.", actor=head)
    assert sorted(row["citizen"] for row in await decisions_queued(second)) == newcomers


async def test_a_revoked_policy_can_no_longer_be_linked_or_suggested(db: str) -> None:
    review_id, citizens = await _open_parking_review()
    admin = await staff("admin", "admin")
    await decide(review_id=review_id, decision="revoke", rationale="Tarif dicabut.", actor=admin)
    with pytest.raises(InvalidInput) as error:
        await speak(citizens[0])
    assert error.value.field == "policy"
    plain = await submit_report(
        text=OBJECTION, channel="api", router=FixedRouter("DPUPRPKP"), citizen_id=citizens[1]
    )
    with pytest.raises(InvalidInput):
        await link_report(
            tracking_code=plain.tracking_code,
            policy_code=PARKING,
            stance="objection",
            actor=admin,
        )
    assert await suggest_policy(OBJECTION) is None
    assert [p.code for p in await pressures() if p.code == PARKING] == []
    report = await Report.select(Report.policy).where(Report.id == plain.id).first()
    assert report["policy"] is None
