"""The policy registry as department heads keep it: the wording of their own department's
policies (new ones: core.catalogue.administration.create_policy, which heads and admins share).
Admins may do the same for any department, and alone set when a policy goes up for review
(its threshold of distinct objectors and its window): the department whose policy is under
pressure does not get to move the bar.
"""

from __future__ import annotations

from typing import Any

from core.catalogue import administration
from core.errors import Forbidden, InvalidInput, NotFound
from core.staff.actors import Actor
from core.staff.permissions import require_admin
from db.tables import Policy
from i18n import N_

THRESHOLD_RANGE = (2, 100_000)
WINDOW_RANGE = (1, 365)


async def _policy(code: str) -> dict[str, Any]:
    row = await Policy.select().where(Policy.code == code.strip().upper()[:40]).first()
    if row is None:
        raise NotFound(N_("Kebijakan tidak ditemukan."), field="code")
    return row


async def update_wording(
    *, code: str, title: str, summary: str, legal_url: str | None, actor: Actor
) -> None:
    """Title, summary and legal text; the status follows reviews and is left as it is."""
    policy = await _policy(code)
    await administration.update_policy(
        code=policy["code"],
        title=title,
        summary=summary,
        status=policy["status"],
        legal_url=legal_url,
        actor=actor,
    )


def _whole(value: int | None, *, field: str, limits: tuple[int, int]) -> int:
    low, high = limits
    if value is None or not low <= value <= high:
        raise InvalidInput(
            N_("Isi bilangan bulat %(low)s sampai %(high)s."),
            low=low,
            high=high,
            field=field,
        )
    return value


async def set_review_rule(
    *, code: str, threshold: int | None, window_days: int | None, actor: Actor
) -> None:
    """How many distinct objectors within how many days open a review (admins only)."""
    require_admin(
        actor,
        refusal=Forbidden(
            N_("Hanya admin yang menetapkan ambang tinjauan."),
        ),
    )
    policy = await _policy(code)
    await Policy.update(
        {
            Policy.review_threshold: _whole(
                threshold, field="review_threshold", limits=THRESHOLD_RANGE
            ),
            Policy.review_window_days: _whole(
                window_days, field="review_window_days", limits=WINDOW_RANGE
            ),
        }
    ).where(Policy.id == policy["id"])
