"""The routing decision for a new report: which department, how sure, how urgent.

A Router is chosen once at start-up (the classifier's when a model is available) and passed to
`submit_report`; until then every report goes to a verifier's triage queue.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from core.routing.models import RoutingDecision


@runtime_checkable
class Router(Protocol):
    def decide(self, text: str) -> RoutingDecision: ...


class TriageRouter:
    """Sends every report to triage: the behaviour without a classifier."""

    def decide(self, text: str) -> RoutingDecision:
        return RoutingDecision(department_code=None, confidence=None, urgent=False)
