"""The scheduler: every periodic job, run by APScheduler or once on demand.

Every job is safe to run in any number of processes at once: escalation steps and outbox
messages are claimed with compare-and-set updates, digests carry a per-day dedupe key, and
auto-close goes through the lifecycle's own state checks.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import msgspec
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.delivery import telegram_deliverers
from config.settings import Settings
from core.figures.scheduled import refresh_rollups
from core.messaging.outbox import Deliverer
from core.messaging.scheduled import queue_daily_digests
from core.policies.scheduled import review_checks
from core.reports.scheduled import alert_unanswered_urgent, close_quiet_reports
from core.routing.scheduled import retrain_if_due
from core.service_levels.scheduled import sweep
from scheduler.delivery import deliver_all
from scheduler.mail import mail_deliverers
from scheduler.webhooks import webhook_deliverer

logger = logging.getLogger("ingatkan.scheduler")

Job = Callable[[], Awaitable[Any]]


def jobs(*, deliverers: Mapping[str, Deliverer]) -> dict[str, Job]:
    async def escalation() -> dict[str, Any]:
        return msgspec.structs.asdict(await sweep())

    async def metrics() -> dict[str, Any]:
        return msgspec.structs.asdict(await refresh_rollups())

    async def policy_reviews() -> dict[str, Any]:
        return msgspec.structs.asdict(await review_checks())

    async def retrain() -> dict[str, Any]:
        result: dict[str, Any] = msgspec.to_builtins(await retrain_if_due())
        return result

    async def delivery() -> dict[str, Any]:
        stats = await deliver_all(deliverers=deliverers)
        return {
            "claimed": stats.claimed,
            "sent": stats.sent,
            "retried": stats.retried,
            "failed": stats.failed,
            "skipped": stats.skipped,
        }

    async def urgent() -> dict[str, Any]:
        return {"alerted": await alert_unanswered_urgent()}

    return {
        "escalation": escalation,
        "urgent": urgent,
        "delivery": delivery,
        "auto_close": close_quiet_reports,
        "digest": queue_daily_digests,
        "retrain": retrain,
        "policy_reviews": policy_reviews,
        "metrics": metrics,
    }


# An order in which a step's messages are delivered in the same run.
RUN_ONCE_ORDER = (
    "escalation", "urgent", "policy_reviews", "auto_close", "digest", "delivery", "retrain",
    "metrics",
)  # fmt: skip


async def run_once(*, settings: Settings) -> dict[str, Any]:
    """Each job once, in an order where a step's messages are delivered in the same run."""
    summary: dict[str, Any] = {}
    async with delivery_channels(settings) as deliverers:
        all_jobs = jobs(deliverers=deliverers)
        for name in RUN_ONCE_ORDER:
            summary[name] = await _run_reporting(name, all_jobs[name])
    return summary


async def _run_reporting(name: str, job: Job) -> Any:
    try:
        return await job()
    except Exception as error:
        logger.exception("job %s failed", name)
        return {"error": f"{type(error).__name__}: {error}"}


async def run_forever(*, settings: Settings) -> None:
    """The scheduler process: jobs on their intervals until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with delivery_channels(settings) as deliverers:
        scheduler = build(settings=settings, deliverers=deliverers)
        scheduler.start()
        logger.info("scheduler started")
        await stop.wait()
        # No new runs, and the jobs that are running finish their batch before the shutdown,
        # which cancels whatever still runs (APScheduler's asyncio executor cannot wait). Each
        # batch is one transaction, so even a job cut short loses nothing, but a clean stop
        # wastes no work either.
        scheduler.pause()
        if _running:
            logger.info("waiting for %d running job(s)", len(_running))
            await asyncio.wait(_running, timeout=SHUTDOWN_GRACE_SECONDS)
        scheduler.shutdown(wait=False)
    logger.info("scheduler stopped")


@asynccontextmanager
async def delivery_channels(settings: Settings) -> AsyncIterator[dict[str, Deliverer]]:
    """The deliverers this process can offer: department webhooks always, Telegram when a bot
    token is configured, mail when an SMTP server is. Without one, its messages wait in the
    outbox until a process that has it delivers them."""
    async with (
        webhook_deliverer(allowed_hosts=settings.webhook_allowed_hosts) as deliver_webhook,
        telegram_deliverers(settings) as telegram,
        mail_deliverers(settings) as mail,
    ):
        yield {"webhook": deliver_webhook, **telegram, **mail}


SHUTDOWN_GRACE_SECONDS = 60
_running: set[asyncio.Task[Any]] = set()


def _contained(name: str, job: Job) -> Job:
    async def run() -> None:
        task = asyncio.current_task()
        assert task is not None
        _running.add(task)
        try:
            logger.debug("job %s: %s", name, await _run_reporting(name, job))
        finally:
            _running.discard(task)

    return run


def build(*, settings: Settings, deliverers: Mapping[str, Deliverer]) -> AsyncIOScheduler:
    """An AsyncIOScheduler with every job; start it inside a running event loop."""
    scheduler = AsyncIOScheduler(timezone=settings.tz)
    all_jobs = jobs(deliverers=deliverers)
    every = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
    at_start = {**every, "next_run_time": datetime.now(settings.tz)}  # not a minute later
    scheduler.add_job(
        _contained("escalation", all_jobs["escalation"]), "interval", minutes=1, **at_start
    )
    # Urgent reports: minutes count, so every half minute.
    scheduler.add_job(_contained("urgent", all_jobs["urgent"]), "interval", seconds=30, **at_start)
    scheduler.add_job(
        _contained("delivery", all_jobs["delivery"]), "interval", seconds=2, **at_start
    )
    scheduler.add_job(
        _contained("policy_reviews", all_jobs["policy_reviews"]), "interval", minutes=1, **at_start
    )
    scheduler.add_job(
        _contained("auto_close", all_jobs["auto_close"]), "interval", hours=1, **every
    )
    # Keeps the dashboards' rollups current, so no page view pays for a large catch-up.
    scheduler.add_job(_contained("metrics", all_jobs["metrics"]), "interval", minutes=5, **every)
    scheduler.add_job(
        _contained("digest", all_jobs["digest"]), CronTrigger(hour=7, minute=0), **every
    )
    # Nightly, and only when enough corrections arrived; training runs in a worker thread.
    scheduler.add_job(
        _contained("retrain", all_jobs["retrain"]), CronTrigger(hour=2, minute=0), **every
    )
    return scheduler
