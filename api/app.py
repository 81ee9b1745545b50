"""The whole HTTP application, assembled in one factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.response_cache import ResponseCacheConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.types import Middleware

from api.auth import csrf_config, secure_cookies_middleware, session_config
from api.catalogue import CatalogueController
from api.edge import CheckedRequest, edge_middleware
from api.errors import EXCEPTION_HANDLERS
from api.exports import ExportApi
from api.health import health
from api.observability import PROMETHEUS, metrics, request_id_middleware
from api.officer_api import SessionApi, StaffApi
from api.open311 import Open311Controller
from api.pages import PAGE_CONTROLLERS, favicon, static_files_router
from api.pages.templating import template_config
from api.rate_limit import rate_limit_config
from api.reports import ReportController
from api.stores import shared_stores, sweeping
from api.telegram import telegram_webhook
from api.webhooks import InboundApi, WebhookAdminApi
from bot.runtime import telegram_lifespan
from config.settings import Settings
from config.settings import bind as bind_settings
from core.routing.decision import Router
from core.routing.registry import ProcessRouter, first_model
from db import engine as db_engine
from scheduler.runner import build as build_scheduler
from scheduler.runner import delivery_channels

logger = logging.getLogger("ingatkan.api")

# A report is at most 4,000 characters; 64 KiB leaves room for the rest of the JSON.
MAX_BODY_BYTES = 64 * 1024
SWAGGER_UI = "/static/vendor/swagger-ui"


async def _first_model(router: ProcessRouter) -> None:
    try:
        await first_model(router=router, progress=logger.info)
    except Exception:  # the process keeps answering; reports wait in triage for a verifier
        logger.exception("training the first routing model failed")


def create_app(
    settings: Settings | None = None,
    *,
    router: Router | None = None,
    run_scheduler: bool = False,
) -> Litestar:
    """The app. Without a `router`, reports are routed by the current classifier model.
    `run_scheduler` runs the periodic jobs in this process too: the embedded default of
    `ingatkan serve`, where one process is the whole product."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        # The settings the app holds, as the Telegram lifespan reads them: a test gives one
        # app each test's database instead of building the app again (0.14 s each).
        settings: Settings = app.state.settings
        engine = db_engine.create_engine(settings.database_url)
        db_engine.bind(engine)
        bind_settings(settings)
        await db_engine.start(engine)
        waiting_for_model = None
        try:
            if isinstance(app.state.router, ProcessRouter) and not await app.state.router.load():
                # A fresh database: answer at once and train the first model meanwhile.
                waiting_for_model = asyncio.create_task(
                    _first_model(app.state.router), name="first-model"
                )
            if run_scheduler:
                async with delivery_channels(settings) as deliverers:
                    jobs = build_scheduler(settings=settings, deliverers=deliverers)
                    jobs.start()
                    logger.info("scheduler started in this process")
                    try:
                        yield
                    finally:
                        jobs.shutdown(wait=False)
            else:
                yield
        finally:
            if waiting_for_model is not None:
                waiting_for_model.cancel()
            await db_engine.stop(engine)

    middleware: list[Middleware] = [secure_cookies_middleware, PROMETHEUS.middleware]
    if settings.rate_limit:
        middleware.append(rate_limit_config(settings.rate_limit).middleware)
    middleware.append(session_config().middleware)
    middleware.append(edge_middleware)

    app = Litestar(
        route_handlers=[
            ReportController,
            CatalogueController,
            health,
            metrics,
            telegram_webhook,
            SessionApi,
            StaffApi,
            Open311Controller,
            ExportApi,
            WebhookAdminApi,
            InboundApi,
            *PAGE_CONTROLLERS,
            static_files_router(),
            favicon,
        ],
        lifespan=[database, telegram_lifespan, sweeping],
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,
        logging_config=None,  # the process configured JSON logs (api.observability)
        csrf_config=csrf_config(settings),
        template_config=template_config(),
        stores=shared_stores(settings),
        request_max_body_size=MAX_BODY_BYTES,
        request_class=CheckedRequest,
        response_cache_config=ResponseCacheConfig(),
        openapi_config=OpenAPIConfig(
            title="ingatkan",
            version="1",
            description="Laporan warga Kota Malang / Citizen reports for Kota Malang",
            path="/schema",
            # Served from the package (api/static/vendor/swagger-ui), so the documentation
            # works on a machine without internet.
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
                    css_url=f"{SWAGGER_UI}/swagger-ui.css",
                    standalone_preset_js_url=f"{SWAGGER_UI}/swagger-ui-standalone-preset.js",
                    favicon="<link rel='icon' href='/favicon.ico'>",
                )
            ],
        ),
    )
    # Around Litestar's whole handler, not in its middleware list: that list runs only for
    # requests that match a route, and an unknown path deserves a request id and an access
    # line as much as a known one.
    app.asgi_handler = request_id_middleware(app.asgi_handler)
    # Without a router given, the classifier's: loaded once and kept in memory.
    app.state.router = router or ProcessRouter()
    app.state.settings = settings
    return app
