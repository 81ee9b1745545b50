"""The routing package's job: the nightly retrain, when enough corrections arrived."""

from __future__ import annotations

from core.routing.models import RetrainResult
from core.routing.registry import Progress, current_version, retrain
from db.tables import TrainingExample

# Retrain when at least this many corrections arrived since the current model.
RETRAIN_AFTER_CORRECTIONS = 50


async def retrain_if_due(*, progress: Progress | None = None) -> RetrainResult:
    """Retrain only when enough corrections arrived since the current model (or none exists)."""
    row = await current_version()
    query = TrainingExample.count()
    if row is not None:
        query = query.where(TrainingExample.created_at > row.created_at)
    waiting = await query
    if row is not None and waiting < RETRAIN_AFTER_CORRECTIONS:
        return RetrainResult(retrained=False, corrections_waiting=waiting)
    outcome = await retrain(progress=progress)
    return RetrainResult(retrained=True, version=outcome.version, promoted=outcome.promoted)
