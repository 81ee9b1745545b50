"""The routing package's records: a routing decision, the model versions it keeps and what
a retrain did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class RoutingDecision(msgspec.Struct, frozen=True, kw_only=True):
    """Where a new report goes, for the intake: which department, how sure, how urgent, and
    the outside authority it seems to belong to (a code of core.routing.referrals), which
    sends it to triage with that suggestion for the verifier."""

    department_code: str | None  # None: send to triage
    confidence: float | None
    urgent: bool
    refer_to: str | None = None  # only with department_code None


class ModelVersionView(msgspec.Struct, frozen=True, kw_only=True):
    """The routing model in use, as the registry and the operator see it (without its file)."""

    id: int
    version: str
    metrics: dict[str, Any]  # evaluation figures by split, as `Evaluation.as_dict` writes them
    created_at: datetime


class TrainingOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """One retrain, for the operator: the candidate's figures beside the model it faced."""

    version: str
    promoted: bool
    candidate: dict[str, Any]  # evaluations of the candidate: heldout, corrections
    current: dict[str, Any] | None  # the same for the model it was compared with
    n_examples: int


class RetrainResult(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The nightly job's answer: either how many corrections still wait, or the new version."""

    retrained: bool
    corrections_waiting: int | None = None
    version: str | None = None
    promoted: bool | None = None
