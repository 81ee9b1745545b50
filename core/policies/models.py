"""The typed records of city policies: a policy as the public, officers, heads and admins read
it, the pressure of objections on it, its reviews and their decisions, a report's link to it,
and what the scheduler's review checks did."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

PolicyStatus = Literal["active", "under_review", "revised", "revoked"]
Decision = Literal["keep", "revise", "revoke"]


class PolicyView(msgspec.Struct, frozen=True, kw_only=True):
    """A city policy as everyone reads it (the public list, the bot, officers, the admin's and
    the head's registry), with its owning department and when it goes up for review:
    `review_threshold` distinct objectors within `review_window_days`."""

    code: str
    title: str
    summary: str
    status: PolicyStatus
    legal_url: str | None
    effective_from: date | None
    department_code: str
    department_name: str
    review_threshold: int
    review_window_days: int


class PolicySuggestion(msgspec.Struct, frozen=True, kw_only=True):
    """The policy a citizen's text most resembles, offered to link in one tap; `score` the
    similarity, 0–1."""

    code: str
    title: str
    score: float


class PolicyLink(msgspec.Struct, frozen=True, kw_only=True):
    """A report's link to a policy after staff changed it; `policy_code` and `stance` are None
    once unlinked."""

    tracking_code: str
    status: str
    policy_code: str | None
    stance: str | None


class Pressure(msgspec.Struct, frozen=True, kw_only=True):
    """The objections to one policy since `since` (its window's start or its last decision),
    for heads, leadership and the public: `objections` whoever sent them, `objectors` the
    distinct verified citizens behind them, and the recurring words of the public ones as
    (word, objectors using it)."""

    policy_id: int
    code: str
    title: str
    status: PolicyStatus
    department_id: int
    department_code: str
    department_name: str
    threshold: int
    window_days: int
    since: datetime
    objections: int
    objectors: int
    themes: tuple[tuple[str, int], ...] = ()

    @property
    def crossed(self) -> bool:
        return self.objectors >= self.threshold

    @property
    def share(self) -> float:
        """Objectors as a share of the threshold (1.0: a review is due)."""
        return self.objectors / self.threshold if self.threshold else 0.0


class ReviewView(msgspec.Struct, frozen=True, kw_only=True):
    """A policy review as heads, leadership and the public read it: what opened it (objectors,
    objections, threshold, window, themes), its deadline and ladder step, and once decided the
    decision, its reasons and how many citizens were told."""

    id: int
    status: Literal["open", "decided"]
    opened_at: datetime
    due_at: datetime
    escalation_level: int
    objectors: int
    objections: int
    threshold: int
    window_days: int
    themes: list[str]
    decision: Decision | None
    rationale: str | None
    changes: str | None
    changes_from: date | None
    decided_at: datetime | None
    notified: int
    department: int
    policy: int
    policy_code: str
    policy_title: str
    policy_status: PolicyStatus
    department_code: str
    department_name: str


class ReviewedReport(msgspec.Struct, frozen=True, kw_only=True):
    """A report a review answers, as its reviewers see it: no reporter's identity, and no text
    when the report is confidential."""

    tracking_code: str
    stance: str | None
    text: str | None
    confidential: bool
    status: str
    created_at: datetime


class ReviewDetail(ReviewView, frozen=True, kw_only=True):
    """One review with the reports it answers (newest first), and whether the reader may
    decide it now."""

    reports: list[ReviewedReport]
    may_decide: bool


class DecisionOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """A published decision: how many citizens it was queued for."""

    review_id: int
    decision: str  # one of core.policies.reviews.DECISIONS
    notified: int


class DecisionTally(msgspec.Struct, frozen=True, kw_only=True):
    """A department's reviews decided in a period, and how many by their deadline (for the
    six-monthly evaluation)."""

    decided: int = 0
    on_time: int = 0


class ReviewChecks(msgspec.Struct, frozen=True, kw_only=True):
    """What one run of the review checks did: reviews opened, and ladder steps taken."""

    opened: int
    reminder: int
    overdue: int
    escalated: int
