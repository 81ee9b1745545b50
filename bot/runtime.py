"""Building and running the bot: inside the web app (long polling, or webhook updates fed by
api/telegram.py), alone (`ingatkan bot`), and registering a webhook with Telegram.

PTB talks to `TELEGRAM_API_BASE_URL` when it is set (a local Bot API server, or the test
stand-in in tests/bot/local_api.py), to api.telegram.org otherwise.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from typing import Any

from litestar import Litestar
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ExtBot, TypeHandler

from bot import webhook_reply
from bot.handlers import on_error, on_update
from bot.ordering import ChatOrder
from bot.telegram_http import AiohttpRequest
from config.settings import Settings
from core.routing.decision import Router

logger = logging.getLogger("ingatkan.bot")

WEBHOOK_PATH = "/telegram/webhook"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = timedelta(seconds=10)
# A reply the citizen is waiting for is worth waiting out Telegram's flood control for, twice.
REPLY_RETRIES = 2
# Each connection carries one call at a time: 150 updates a second, two calls each, a quarter
# of a second to Telegram and back from Malang, keep about 75 busy.
TELEGRAM_CONNECTIONS = 100
REPLY_WAIT_SECONDS = 30.0


def _require_token(settings: Settings) -> str:
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # httpx logs every request URL at INFO, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return settings.telegram_bot_token


def _bot_api_clients() -> tuple[AiohttpRequest, AiohttpRequest]:
    """The clients of a bot's calls and of its long polling (one call at a time). A call
    waits for a free connection as long as Telegram would for an answer."""
    return (
        AiohttpRequest(connections=TELEGRAM_CONNECTIONS, pool_seconds=REPLY_WAIT_SECONDS),
        AiohttpRequest(connections=1, pool_seconds=REPLY_WAIT_SECONDS),
    )


def build_application(
    settings: Settings, *, router: Router, polling: bool
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The PTB application with the conversation handler, handling many chats at once."""
    # Any bot type: the rate limiter changes the builder's type.
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = Application.builder().token(
        _require_token(settings)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    # Replies are not held to Telegram's bulk rate (30 a second) up front: a crowd writing at
    # once would queue behind it, and one process's cap means nothing with several replicas.
    # Telegram says when it is too much (429 with retry_after), and that is waited out.
    builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=REPLY_RETRIES))
    calls, long_poll = _bot_api_clients()
    builder = builder.request(calls).get_updates_request(long_poll)
    if not polling:
        builder = builder.updater(None)
    application = builder.concurrent_updates(ChatOrder()).build()
    application.bot_data["router"] = router
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application


def make_bot(settings: Settings) -> ExtBot[Any]:
    """A bot for sending notifications. Flood control is not waited out here: the outbox
    reschedules the message for when Telegram says, instead of holding a worker."""
    calls, long_poll = _bot_api_clients()
    return ExtBot(
        token=_require_token(settings),
        base_url=settings.telegram_api_base_url or "https://api.telegram.org/bot",
        rate_limiter=AIORateLimiter(max_retries=0),
        request=calls,
        get_updates_request=long_poll,
    )


@asynccontextmanager
async def running(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    polling: bool,
    poll_timeout: timedelta = POLL_TIMEOUT,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Initialise and start the application (and long polling), and stop it all on exit."""
    async with application:  # initialize() and shutdown()
        await application.start()
        try:
            if polling and application.updater:
                await application.updater.start_polling(
                    timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
                )
            try:
                yield application
            finally:
                if application.updater and application.updater.running:
                    await application.updater.stop()
        finally:
            await application.stop()


@asynccontextmanager
async def telegram_lifespan(app: Litestar) -> AsyncIterator[None]:
    """The bot inside the web app: webhook updates when TELEGRAM_WEBHOOK_SECRET is set, long
    polling otherwise, nothing without TELEGRAM_BOT_TOKEN. If Telegram cannot be reached at
    start the web app still serves, and says so in the log."""
    settings: Settings = app.state.settings
    app.state.telegram = None
    async with AsyncExitStack() as stack:
        if settings.telegram_bot_token:
            polling = not settings.telegram_webhook_secret
            application = build_application(settings, router=app.state.router, polling=polling)
            try:
                app.state.telegram = await stack.enter_async_context(
                    running(application, polling=polling)
                )
            except TelegramError:
                logger.exception("the Telegram bot did not start; serving without it")
            else:
                logger.info(
                    "Telegram bot @%s started (%s)",
                    application.bot.username,
                    "long polling" if polling else "webhook",
                )
        yield


async def feed(
    application: Application[Any, Any, Any, Any, Any, Any], payload: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Handle one update that arrived by webhook, before the webhook request is answered:
    beside other chats' updates, after this chat's earlier ones (bot/ordering.py). Returns the
    Bot API method the webhook's response should carry, if any (bot/webhook_reply.py)."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("update_id"), int):
        raise ValueError("not a Telegram update")
    try:
        update = Update.de_json(dict(payload), application.bot)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError("not a Telegram update") from error
    with webhook_reply.carried() as carrier:
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
    return carrier.method


async def poll_until_stopped(settings: Settings, *, router: Router) -> None:
    """`ingatkan bot`: long polling until SIGINT or SIGTERM."""
    application = build_application(settings, router=router, polling=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(application, polling=True):
        logger.info("Telegram bot @%s polling", application.bot.username)
        await stop.wait()


async def register_webhook(settings: Settings, *, url: str) -> str:
    """Tell Telegram to post updates to `url` (the app's /telegram/webhook) with the secret."""
    if not settings.telegram_webhook_secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is not set")
    if not url.rstrip("/").endswith(WEBHOOK_PATH):
        url = url.rstrip("/") + WEBHOOK_PATH
    async with make_bot(settings) as bot:
        await bot.set_webhook(
            url, secret_token=settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES
        )
    return url
