"""Signing staff in: right and wrong passwords, lock-out, deactivation."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from datetime import timedelta

import pytest

from core import clock
from core.errors import InvalidInput
from core.staff import accounts
from core.staff.accounts import LOCKOUT, MAX_FAILED_LOGINS, SignInRefused, authenticate
from core.staff.actors import Actor, ActorKind, Role
from core.staff.users import create_user
from db.tables import User

PASSWORD = "benar-sekali-123"


async def _officer() -> dict:
    return await create_user(
        username="dina", full_name="Dina", password=PASSWORD, role="officer",
        department_code="DLH",
        actor=Actor.system(),
    )  # fmt: skip


async def test_right_password_signs_in_wrong_ones_do_not(db: str) -> None:
    await _officer()
    assert (await authenticate(username=" DINA ", password=PASSWORD)).username == "dina"
    for username, password in (("dina", "salah-salah-1"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(SignInRefused) as refused:
            await authenticate(username=username, password=password)
        assert refused.value.message("en").startswith("Wrong username or password")


async def test_repeated_failures_lock_the_account_for_a_while(db: str) -> None:
    user = await _officer()
    start = clock.now()
    with clock.frozen_at(start):
        for attempt in range(1, MAX_FAILED_LOGINS + 1):
            with pytest.raises(SignInRefused):
                await authenticate(username="dina", password="tebak-tebak-1")
            locked = await User.select(User.locked_until).where(User.id == user.id).first()
            assert (locked["locked_until"] is not None) == (attempt == MAX_FAILED_LOGINS)
        with pytest.raises(SignInRefused):  # even the right password, while locked
            await authenticate(username="dina", password=PASSWORD)
    with clock.frozen_at(start + LOCKOUT + timedelta(seconds=1)):
        assert (await authenticate(username="dina", password=PASSWORD)).id == user.id
    row = await User.select(User.failed_logins, User.locked_until).where(User.id == user.id).first()
    assert row == {"failed_logins": 0, "locked_until": None}


async def test_a_success_resets_the_count_and_an_admin_can_unlock(db: str) -> None:
    user = await _officer()
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(SignInRefused):
            await authenticate(username="dina", password="tebak-tebak-1")
    await authenticate(username="dina", password=PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):  # counting starts again: five more before the lock
        with pytest.raises(SignInRefused):
            await authenticate(username="dina", password="tebak-tebak-1")
    with pytest.raises(SignInRefused):
        await authenticate(username="dina", password=PASSWORD)
    await accounts.unlock(user_id=user.id, actor=Actor.system())
    assert (await authenticate(username="dina", password=PASSWORD)).id == user.id


async def test_deactivated_accounts_cannot_sign_in(db: str) -> None:
    user = await _officer()
    admin = await create_user(
        username="admin", full_name="", password=PASSWORD, role="admin", actor=Actor.system()
    )
    as_admin = Actor(kind=ActorKind.OFFICER, user_id=admin.id, role=Role.ADMIN)
    with pytest.raises(InvalidInput):  # an admin cannot lock themselves out
        await accounts.set_active(user_id=admin.id, active=False, actor=as_admin)
    await accounts.set_active(user_id=user.id, active=False, actor=as_admin)
    with pytest.raises(SignInRefused):
        await authenticate(username="dina", password=PASSWORD)
    assert await accounts.staff_member(user.id) is None
    await accounts.set_active(user_id=user.id, active=True, actor=as_admin)
    await accounts.set_password(user_id=user.id, password="yang-baru-sekali", actor=Actor.system())
    assert (await authenticate(username="dina", password="yang-baru-sekali")).id == user.id


def _checked_against(monkeypatch: pytest.MonkeyPatch, password_hash: str) -> list[bytes]:
    """The passwords scrypt is asked to check against this stored hash (the real scrypt
    still does the work; this only writes down what it was given)."""
    salt = base64.b64decode(password_hash.split("$")[4])
    checked: list[bytes] = []
    real = hashlib.scrypt

    def scrypt(password: bytes, **kwargs: object) -> bytes:
        if kwargs.get("salt") == salt:
            checked.append(password)
        return real(password, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", scrypt)
    return checked


async def _refused(password: str) -> bool:
    try:
        await authenticate(username="dina", password=password)
    except SignInRefused:
        return True
    return False


async def test_concurrent_guesses_get_five_checks_per_lock_window(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await _officer()
    stored = await User.select(User.password_hash).where(User.id == user.id).first()
    checked = _checked_against(monkeypatch, stored["password_hash"])
    start = clock.now()
    with clock.frozen_at(start):
        guesses = [f"tebakan-ke-{n:03}" for n in range(60)]
        assert all(await asyncio.gather(*(_refused(guess) for guess in guesses)))
        assert len(checked) == MAX_FAILED_LOGINS

        # The budget is spent: the right password among many more guesses gets nowhere,
        # and not one of them is checked.
        attempts = [*guesses[:30], PASSWORD, *guesses[30:]]
        assert all(await asyncio.gather(*(_refused(guess) for guess in attempts)))
        assert len(checked) == MAX_FAILED_LOGINS and PASSWORD.encode() not in checked

    with clock.frozen_at(start + LOCKOUT + timedelta(seconds=1)):
        assert (await authenticate(username="dina", password=PASSWORD)).id == user.id


async def test_a_right_password_does_not_clear_a_lock_that_wrong_ones_earned(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await _officer()
    stored = await User.select(User.password_hash).where(User.id == user.id).first()
    checked = _checked_against(monkeypatch, stored["password_hash"])
    with clock.frozen_at(clock.now()):
        for _ in range(MAX_FAILED_LOGINS - 2):
            with pytest.raises(SignInRefused):
                await authenticate(username="dina", password="tebak-tebak-1")
        # Two guesses left in the window, three attempts at once, the right one last.
        await asyncio.gather(
            _refused("tebak-tebak-2"), _refused("tebak-tebak-3"), _refused(PASSWORD)
        )
        row = await User.select(User.locked_until).where(User.id == user.id).first()
    assert len(checked) == MAX_FAILED_LOGINS
    if {b"tebak-tebak-2", b"tebak-tebak-3"} <= set(checked):
        # Both wrong ones were checked: five failures, whatever the right one did meanwhile.
        assert row["locked_until"] is not None
