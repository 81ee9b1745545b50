"""The figures' scheduler job: keeping the rollups fresh, so a dashboard's own refresh before
reading finds little to do."""

from __future__ import annotations

from core.figures.models import RefreshOutcome
from core.figures.rollup import refresh


async def refresh_rollups() -> RefreshOutcome:
    """Derive the reports changed since the last run and add the difference to the rollups."""
    return await refresh()
