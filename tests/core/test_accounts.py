"""Signing staff in: right and wrong passwords, lock-out, deactivation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import accounts, clock
from core.accounts import LOCKOUT, MAX_FAILED_LOGINS, SignInRefused, authenticate
from core.errors import InvalidInput
from core.users import create_user
from db.tables import User

PASSWORD = "benar-sekali-123"


async def _officer() -> dict:
    return await create_user(
        username="dina", full_name="Dina", password=PASSWORD, role="officer",
        department_code="DLH",
    )  # fmt: skip


async def test_right_password_signs_in_wrong_ones_do_not(db: str) -> None:
    await _officer()
    assert (await authenticate(username=" DINA ", password=PASSWORD))["username"] == "dina"
    for username, password in (("dina", "salah-salah-1"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(SignInRefused) as refused:
            await authenticate(username=username, password=password)
        assert not refused.value.locked
        assert refused.value.message("en") == "Wrong username or password."


async def test_repeated_failures_lock_the_account_for_a_while(db: str) -> None:
    user = await _officer()
    start = clock.now()
    with clock.frozen_at(start):
        for attempt in range(1, MAX_FAILED_LOGINS + 1):
            with pytest.raises(SignInRefused) as refused:
                await authenticate(username="dina", password="tebak-tebak-1")
            assert refused.value.locked == (attempt == MAX_FAILED_LOGINS)
        with pytest.raises(SignInRefused) as still:  # even the right password, while locked
            await authenticate(username="dina", password=PASSWORD)
        assert still.value.locked and "15" in still.value.message("en")
    with clock.frozen_at(start + LOCKOUT + timedelta(seconds=1)):
        assert (await authenticate(username="dina", password=PASSWORD))["id"] == user["id"]
    row = (
        await User.select(User.failed_logins, User.locked_until)
        .where(User.id == user["id"])
        .first()
    )
    assert row == {"failed_logins": 0, "locked_until": None}


async def test_a_success_resets_the_count_and_an_admin_can_unlock(db: str) -> None:
    user = await _officer()
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(SignInRefused):
            await authenticate(username="dina", password="tebak-tebak-1")
    await authenticate(username="dina", password=PASSWORD)
    for _ in range(MAX_FAILED_LOGINS - 1):  # counting starts again: not locked yet
        with pytest.raises(SignInRefused) as refused:
            await authenticate(username="dina", password="tebak-tebak-1")
        assert not refused.value.locked
    with pytest.raises(SignInRefused) as refused:
        await authenticate(username="dina", password="tebak-tebak-1")
    assert refused.value.locked
    await accounts.unlock(user_id=user["id"])
    assert (await authenticate(username="dina", password=PASSWORD))["id"] == user["id"]


async def test_deactivated_accounts_cannot_sign_in(db: str) -> None:
    user = await _officer()
    admin = await create_user(username="admin", full_name="", password=PASSWORD, role="admin")
    with pytest.raises(InvalidInput):  # an admin cannot lock themselves out
        await accounts.set_active(user_id=admin["id"], active=False, acting_user_id=admin["id"])
    await accounts.set_active(user_id=user["id"], active=False, acting_user_id=admin["id"])
    with pytest.raises(SignInRefused):
        await authenticate(username="dina", password=PASSWORD)
    assert await accounts.staff_member(user["id"]) is None
    await accounts.set_active(user_id=user["id"], active=True, acting_user_id=admin["id"])
    await accounts.set_password(user_id=user["id"], password="yang-baru-sekali")
    assert (await authenticate(username="dina", password="yang-baru-sekali"))["id"] == user["id"]
