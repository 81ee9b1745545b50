"""What the public pages show besides a single report: answers the city gave lately, and
decisions on policies."""

from __future__ import annotations

from typing import Any

import msgspec

from core.catalogue.public import list_policies
from core.policies.models import ReviewView
from core.policies.reviews import list_reviews
from core.reports.lifecycle import Status
from db.tables import Report, ReportEvent

RECENT_LIMIT = 10
DECIDED = ("under_review", "revised", "revoked")
PUBLIC_REVIEWS = 1000


async def recently_resolved(limit: int = RECENT_LIMIT) -> list[dict[str, Any]]:
    """The latest resolved reports with the city's answer. Anonymous and confidential reports
    are left out entirely: their text could say who sent them."""
    rows = (
        await Report.select(
            Report.id,
            Report.tracking_code,
            Report.text,
            Report.resolved_at,
            Report.department.code.as_alias("department_code"),
            Report.department.name.as_alias("department_name"),
        )
        .where(
            Report.resolved_at.is_not_null()
            & Report.status.is_in([Status.RESOLVED, Status.CLOSED])
            & (Report.anonymous == False)  # noqa: E712
            & (Report.confidential == False)  # noqa: E712
        )
        .order_by(Report.resolved_at, ascending=False)
        .limit(limit)
    )
    if not rows:
        return []
    answers = await (
        ReportEvent.select(ReportEvent.report, ReportEvent.public_note)
        .where(
            ReportEvent.report.is_in([row["id"] for row in rows]) & (ReportEvent.kind == "resolved")
        )
        .order_by(ReportEvent.id)
    )
    latest = {answer["report"]: answer["public_note"] for answer in answers}
    return [{**row, "answer": latest.get(row["id"])} for row in rows]


async def policy_decisions() -> list[dict[str, Any]]:
    """Policies under review or decided, latest first — "you said, we did": each with its
    latest review (how many citizens objected and about what, what was decided, why, and
    what changes from when) under "review", or None when its status was set by hand."""
    latest: dict[str, ReviewView] = {}
    for review in await list_reviews(limit=PUBLIC_REVIEWS):
        code = review.policy_code
        if code not in latest or review.opened_at > latest[code].opened_at:
            latest[code] = review
    shown = [
        {**msgspec.structs.asdict(policy), "review": latest.get(policy.code)}
        for policy in await list_policies()
        if policy.status in DECIDED or policy.code in latest
    ]
    return sorted(shown, key=_latest_first)


def _latest_first(policy: dict[str, Any]) -> tuple[bool, float, str]:
    review = policy["review"]
    if review is None:
        return (True, 0.0, policy["code"])
    moment = review.decided_at or review.opened_at
    return (False, -moment.timestamp(), policy["code"])
