"""The routing decision for a new report: which department, how sure, how urgent.

A Router is chosen once at start-up (the classifier's when a model is available) and passed to
`submit_report`; until then every report goes to a verifier's triage queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class RoutingDecision:
    department_code: str | None  # None: send to triage
    confidence: float | None
    urgent: bool


@runtime_checkable
class Router(Protocol):
    def decide(self, text: str) -> RoutingDecision: ...


class TriageRouter:
    """Sends every report to triage: the behaviour without a classifier."""

    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(department_code=None, confidence=None, urgent=False)
