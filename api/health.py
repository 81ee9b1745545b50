"""Liveness and readiness: the process answers and the database does too."""

from __future__ import annotations

import logging

from litestar import Response, get

from api.schemas import Health
from db.engine import current_engine

logger = logging.getLogger("ingatkan.api")


@get("/health", tags=["operations"], summary="Is the service and its database up?")
async def health() -> Response[Health]:
    try:
        await current_engine().run_ddl("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        return Response(Health(status="unavailable", database="down"), status_code=503)
    return Response(Health(status="ok", database="up"))
