"""The policies' scheduler job: opening the reviews that objections made due, and taking the
due steps of open reviews' deadline ladders."""

from __future__ import annotations

from core.policies.models import ReviewChecks
from core.policies.reviews import open_due_reviews, sweep_reviews


async def review_checks() -> ReviewChecks:
    """Open the reviews that are due, then take due ladder steps."""
    opened = await open_due_reviews()
    steps = (await sweep_reviews()).steps
    return ReviewChecks(
        opened=len(opened),
        reminder=steps["reminder"],
        overdue=steps["overdue"],
        escalated=steps["escalated"],
    )
