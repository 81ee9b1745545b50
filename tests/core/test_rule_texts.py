"""Texts that state a rule read its number from the rule: change the constant and the message a
person reads changes with it, in both languages."""

from __future__ import annotations

import pytest

from core.catalogue import administration
from core.errors import InvalidInput
from core.integrations import inbound
from core.integrations.models import SigningDepartment
from core.reports import lifecycle
from core.staff import users
from tests.helpers import ADMIN

pytestmark = pytest.mark.asyncio


def _both(error: InvalidInput) -> tuple[str, str]:
    return error.message("id"), error.message("en")


async def test_rating_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "RATINGS", range(1, 11))
    with pytest.raises(InvalidInput) as refused:
        await lifecycle.close(tracking_code="MLG-AAAAAA", actor=ADMIN, rating=11)
    assert _both(refused.value) == (
        "Penilaian harus 1 sampai 10.",
        "A rating must be from 1 to 10.",
    )


async def test_username_bounds() -> None:
    low, high = users.USERNAME_LENGTH
    with pytest.raises(InvalidInput) as refused:
        await users.create_user(
            username="x" * (high + 1), full_name="X", password="p" * 20, role="admin", actor=ADMIN
        )
    indonesian, english = _both(refused.value)
    assert f"{low}–{high} karakter" in indonesian and f"{low}–{high} characters" in english


async def test_code_bounds() -> None:
    low, high = administration.CODE_LENGTH
    with pytest.raises(InvalidInput) as refused:
        await administration.create_department(
            code="A" * (high + 1), name="X", short_name="X", scope="x", dimensions=[], actor=ADMIN
        )
    indonesian, english = _both(refused.value)
    assert f"{low}–{high} huruf" in indonesian and f"{low}–{high} capital" in english


async def test_inbound_request_id_bound() -> None:
    with pytest.raises(InvalidInput) as refused:
        await inbound.apply_inbound(
            department=SigningDepartment(id=1, code="DISHUB"),
            request_id="r" * (inbound.REQUEST_ID_MAX + 1),
            tracking_code="MLG-AAAAAA",
            action="respond",
            note=None,
        )
    indonesian, english = _both(refused.value)
    assert f"1–{inbound.REQUEST_ID_MAX} karakter" in indonesian
    assert f"1–{inbound.REQUEST_ID_MAX} characters" in english
