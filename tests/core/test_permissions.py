"""Every admin write in core/ authorizes its actor itself, whichever door called it: a route
guard is not the only thing between an officer and the catalogue. Both engines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from core.catalogue import administration
from core.citizens import telegram as citizens
from core.errors import Forbidden
from core.integrations import api_keys, webhooks
from core.reports.intake import Reporter
from core.service_levels import holidays
from core.staff import accounts
from core.staff.actors import Actor, ActorKind, Role
from core.staff.permissions import may_assign
from core.staff.users import create_user
from db.tables import ApiKey, Department, Holiday, Policy, User
from tests.helpers import report_in

PASSWORD = "rahasia-sekali-1"


def _staff(role: Role, department_id: int | None = None) -> Actor:
    return Actor(kind=ActorKind.OFFICER, user_id=999, role=role, department_id=department_id)


async def _admin_writes(actor: Actor, *, user_id: int, code: str) -> list[Callable[[], Awaitable]]:
    return [
        lambda: administration.create_department(
            code="DINASBARU",
            name="Dinas Baru",
            short_name="Baru",
            scope="Segala yang baru",
            dimensions=["living"],
            actor=actor,
        ),
        lambda: administration.update_department(
            code="DLH",
            name="Dinas Lingkungan Hidup",
            short_name="DLH",
            scope="Sampah",
            first_response_days=1,
            resolution_days=None,
            urgent_ack_minutes=15,
            active=False,
            actor=actor,
        ),
        lambda: administration.create_policy(
            code="PERWALI-BARU",
            title="Perwali baru",
            summary="Isi kebijakan baru",
            department_code="DISHUB",
            legal_url=None,
            effective_from=None,
            actor=actor,
        ),
        lambda: create_user(
            username="penyusup", full_name="", password=PASSWORD, role="admin", actor=actor
        ),
        lambda: accounts.set_active(user_id=user_id, active=False, actor=actor),
        lambda: accounts.unlock(user_id=user_id, actor=actor),
        lambda: accounts.set_password(user_id=user_id, password="sandi-baru-sekali", actor=actor),
        lambda: holidays.add_holiday(
            day=date(2026, 12, 8), name="Libur", kind="national", actor=actor
        ),
        lambda: holidays.remove_holiday(day=date(2026, 12, 25), actor=actor),
        lambda: api_keys.issue_api_key(name="Aplikasi lain", actor=actor),
        lambda: webhooks.register_webhook(
            department_code="DLH",
            url="https://93.184.216.34/hook",
            allowed_hosts=frozenset(),
            actor=actor,
        ),
        lambda: citizens.set_blocked(tracking_code=code, blocked=True, actor=actor),
    ]


async def _state() -> tuple[object, ...]:
    """Everything the writes above would change."""
    return (
        await Department.select().order_by(Department.id),
        await Policy.count(),
        await User.select(User.username, User.active, User.password_hash).order_by(User.id),
        await Holiday.count(),
        await ApiKey.count(),
    )


async def test_admin_writes_refuse_every_actor_but_an_admin(db: str) -> None:
    dlh = (await Department.select(Department.id).where(Department.code == "DLH").first())["id"]
    officer = await create_user(
        username="dina",
        full_name="Dina",
        password=PASSWORD,
        role="officer",
        department_code="DLH",
        actor=Actor.system(),
    )
    report = await report_in("open", reporter=Reporter(email="warga@contoh.id"))
    before = await _state()
    for actor in (
        _staff(Role.OFFICER, dlh),
        _staff(Role.HEAD, dlh),
        _staff(Role.VERIFIER),
        _staff(Role.LEADERSHIP),
        Actor(kind=ActorKind.CITIZEN, citizen_id=report.citizen),
    ):
        writes = await _admin_writes(actor, user_id=officer.id, code=report.tracking_code)
        for write in writes:
            with pytest.raises(Forbidden):
                await write()
    assert await _state() == before

    admin = _staff(Role.ADMIN)
    for write in await _admin_writes(admin, user_id=officer.id, code=report.tracking_code):
        await write()
    assert await _state() != before


async def test_a_head_keeps_the_policies_of_their_own_department_only(db: str) -> None:
    dlh = (await Department.select(Department.id).where(Department.code == "DLH").first())["id"]
    head = _staff(Role.HEAD, dlh)
    new = {"summary": "Isi kebijakan", "legal_url": None, "effective_from": None, "actor": head}
    await administration.create_policy(
        code="PERWALI-DLH", title="Sampah", department_code="DLH", **new
    )
    with pytest.raises(Forbidden):
        await administration.create_policy(
            code="PERWALI-DISHUB", title="Parkir", department_code="DISHUB", **new
        )
    wording = {"title": "Sampah terpilah", "summary": "Isi baru", "legal_url": None}
    await administration.update_policy(code="PERWALI-DLH", status="active", actor=head, **wording)
    with pytest.raises(Forbidden):  # its status moves with reviews, or by an admin
        await administration.update_policy(
            code="PERWALI-DLH", status="revoked", actor=head, **wording
        )
    policy = await Policy.select().where(Policy.code == "PERWALI-DLH").first()
    assert (policy["title"], policy["status"]) == ("Sampah terpilah", "active")
    assert not await Policy.exists().where(Policy.code == "PERWALI-DISHUB")


def test_who_may_give_a_report_to_whom() -> None:
    head = Actor(kind=ActorKind.OFFICER, user_id=1, role=Role.HEAD, department_id=7)
    officer = Actor(kind=ActorKind.OFFICER, user_id=2, role=Role.OFFICER, department_id=7)
    outsider = Actor(kind=ActorKind.OFFICER, user_id=3, role=Role.HEAD, department_id=8)
    verifier = Actor(kind=ActorKind.OFFICER, user_id=4, role=Role.VERIFIER)
    admin = Actor(kind=ActorKind.OFFICER, user_id=5, role=Role.ADMIN)
    # (actor, to, carried by) -> allowed
    cases = {
        (head, 2, None): True,
        (head, None, 2): True,
        (head, 9, 2): True,
        (admin, 2, 9): True,
        (officer, 2, None): True,  # takes it
        (officer, None, 2): True,  # lets go of their own
        (officer, 2, 9): False,  # a colleague carries it
        (officer, 9, None): False,  # gives it to someone else
        (officer, None, 9): False,
        (outsider, 2, None): False,
        (verifier, 2, None): False,
    }
    for (actor, to, carried), allowed in cases.items():
        assert may_assign(actor, department_id=7, officer_id=to, current_id=carried) is allowed, (
            actor.role,
            to,
            carried,
        )
