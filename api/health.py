"""Liveness and readiness: the process answers, the database does too, and whether new
reports are routed yet (a fresh database trains its first model while answering)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get

from api.schemas import Health
from db.engine import current_engine

logger = logging.getLogger("ingatkan.api")


@get("/health", tags=["operations"], summary="Is the service and its database up?")
async def health(request: Request[Any, Any, Any]) -> Response[Health]:
    # A router given to the app (tests, benchmarks) routes from the start.
    routing = "ready" if getattr(request.app.state.router, "ready", True) else "training"
    try:
        await current_engine().run_ddl("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        return Response(
            Health(status="unavailable", database="down", routing=routing), status_code=503
        )
    return Response(Health(status="ok", database="up", routing=routing))
