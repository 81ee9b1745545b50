"""The `ingatkan` command: one entry point for every role the product runs in."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from config.settings import Settings, SettingsError
from config.settings import bind as bind_settings
from core.errors import DomainError
from core.staff.actors import Actor

if TYPE_CHECKING:
    from litestar import Litestar

T = TypeVar("T")
# Whoever runs the command has the machine, and so every right (core.staff.permissions).
OPERATOR = Actor.system()


def _settings() -> Settings:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    bind_settings(settings)
    return settings


def run_with_database(work: Callable[[], Awaitable[T]], *, migrate_first: bool = True) -> T:
    """Open the configured database, bring it up to date, run `work`, close it."""
    from db import engine as db_engine
    from db.migrate import MigrationError, migrate

    settings = _settings()

    async def main() -> T:
        engine = db_engine.create_engine(settings.database_url)
        db_engine.bind(engine)
        await db_engine.start(engine)
        try:
            if migrate_first:
                await migrate()
            return await work()
        finally:
            await db_engine.stop(engine)

    try:
        return asyncio.run(main())
    except DomainError as error:
        raise click.ClickException(f"{error.field or 'error'}: {error.message('en')}") from error
    except MigrationError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"database unreachable: {error}") from error


@click.group()
def main() -> None:
    """ingatkan — laporan warga Kota Malang / citizen reports for Kota Malang."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes. With more than one, run the scheduler as its own process.",
)
@click.option(
    "--with-scheduler/--without-scheduler",
    default=True,
    show_default=True,
    help="Run the periodic jobs in this process (one worker only); "
    "off where `ingatkan scheduler` runs on its own.",
)
def serve(host: str, port: int, workers: int, with_scheduler: bool) -> None:
    """Run the product: API and pages, and with one worker the scheduler too."""
    import logging

    import uvicorn

    from api.app import create_app
    from api.observability import configure_logging
    from core.routing.registry import ensure_router

    configure_logging()
    multiple = workers > 1
    if multiple:
        # Each worker loads the current model: train the first one here, once, before they start.
        run_with_database(lambda: ensure_router(progress=logging.getLogger("ingatkan.serve").info))
    else:
        # Create and migrate the database; the app answers at once and trains the first model
        # in the background when there is none (api.app).
        run_with_database(_noop)
    # Several workers each build their own app (worker_app); one serves the app built here.
    app = (
        "cli.main:worker_app" if multiple else create_app(_settings(), run_scheduler=with_scheduler)
    )
    uvicorn.run(
        app,
        factory=multiple,
        workers=workers,
        host=host,
        port=port,
        access_log=False,  # the app writes its own access lines, as JSON with a request id
        log_config=None,
        timeout_graceful_shutdown=30,
        # Longer than the idle timeout of a balancer or client pool in front (60 s on most), so
        # none of them reuses a connection in the instant the server closes it.
        timeout_keep_alive=75,
    )


def worker_app() -> Litestar:
    """One worker process of `ingatkan serve --workers N`: it starts afresh, so it sets up its
    own JSON logs and builds its own app (and database pool) from the environment."""
    from api.app import create_app
    from api.observability import configure_logging

    configure_logging()
    return create_app(_settings())


async def _noop() -> None:
    return None


@main.command()
def migrate() -> None:
    """Create or update the database schema and seed the catalogue."""
    run_with_database(_noop)
    click.echo("database is up to date")


@main.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once, print a JSON summary, exit.")
def scheduler_command(once: bool) -> None:
    """Run the periodic jobs: escalation sweep, delivery, auto-close, digest."""
    from scheduler.runner import run_forever, run_once

    settings = _settings()
    if once:
        summary = run_with_database(lambda: run_once(settings=settings))
        click.echo(json.dumps(summary, sort_keys=True))
    else:
        from api.observability import configure_logging

        configure_logging()
        run_with_database(lambda: run_forever(settings=settings))


@main.command("bot")
@click.option(
    "--webhook",
    "webhook_url",
    metavar="URL",
    help="Instead of polling, tell Telegram to post updates to URL (the app's "
    "/telegram/webhook, served by `ingatkan serve`) with TELEGRAM_WEBHOOK_SECRET, and exit.",
)
def bot_command(webhook_url: str | None) -> None:
    """Run the Telegram bot alone, by long polling (needs TELEGRAM_BOT_TOKEN)."""
    import asyncio

    from telegram.error import TelegramError

    from api.observability import configure_logging
    from bot.runtime import poll_until_stopped, register_webhook
    from core.routing.registry import ensure_router

    settings = _settings()
    if not settings.telegram_bot_token:
        raise click.ClickException("TELEGRAM_BOT_TOKEN is not set")
    try:
        if webhook_url:
            if not settings.telegram_webhook_secret:
                raise click.ClickException("TELEGRAM_WEBHOOK_SECRET is not set")
            url = asyncio.run(register_webhook(settings, url=webhook_url))
            click.echo(f"Telegram will post updates to {url}")
            return
        configure_logging()

        async def poll() -> None:
            # The classifier's router, as the web app's (training the first model if none).
            await poll_until_stopped(settings, router=await ensure_router(progress=_say))

        run_with_database(poll)
    except TelegramError as error:
        raise click.ClickException(f"Telegram: {error.message}") from error


@main.group()
def classifier() -> None:
    """The routing model: train, evaluate, predict."""


def _say(message: str) -> None:
    click.echo(message, err=True)


@classifier.command("train")
def classifier_train() -> None:
    """Retrain on the corpus plus officers' corrections; promote only if not worse."""
    from core.routing.registry import retrain

    outcome = run_with_database(lambda: retrain(progress=_say))
    click.echo(
        json.dumps(
            {
                "version": outcome.version,
                "promoted": outcome.promoted,
                "examples": outcome.n_examples,
                "candidate": outcome.candidate,
                "current": outcome.current,
            },
            sort_keys=True,
        )
    )


@classifier.command("evaluate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def classifier_evaluate(path: str) -> None:
    """Evaluate the current model on a JSONL file of labelled examples.

    One JSON object on stdout (accuracy, coverage, held back, urgent recall, precision and
    false alarms, referral accuracy and precision, per department); the same as a table on
    stderr.
    """
    from classifier import CorpusError, evaluate, load_jsonl
    from core.routing.registry import ensure_router

    try:
        examples = load_jsonl(path)
    except CorpusError as error:
        raise click.ClickException(str(error)) from error
    router = run_with_database(lambda: ensure_router(progress=_say))
    figures = evaluate(router.model, examples)
    _say(figures.render())
    click.echo(json.dumps(figures.as_dict(), sort_keys=True))


@classifier.command("predict")
def classifier_predict() -> None:
    """JSONL {"text": ...} on stdin; JSONL {"department", "confidence", "urgent", "refer_to"}
    on stdout (a null department: triage; `refer_to`: the outside authority it belongs to)."""
    from core.routing.registry import ensure_router

    router = run_with_database(lambda: ensure_router(progress=_say))
    failed = False
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
        except (ValueError, KeyError, TypeError) as error:
            failed = True
            click.echo(json.dumps({"error": f"line {number}: {error}"}))
            continue
        prediction = router.model.predict_one(text)
        click.echo(
            json.dumps(
                {
                    "department": prediction.department,
                    "confidence": round(prediction.confidence, 4),
                    "urgent": prediction.urgent,
                    "refer_to": prediction.refer_to,
                }
            )
        )
    if failed:
        sys.exit(1)


@main.command()
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup(target: str) -> None:
    """Write a consistent backup of the configured database to TARGET, while it runs."""
    from pathlib import Path

    from db.backup import BackupError
    from db.backup import backup as take_backup

    try:
        take_backup(settings=_settings(), target=Path(target))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {target}")


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm replacing the configured database.")
def restore(source: str, yes: bool) -> None:
    """Replace the configured database with the backup in SOURCE."""
    from pathlib import Path

    from db.backup import BackupError
    from db.backup import restore as restore_backup

    if not yes:
        raise click.ClickException("restore replaces the configured database: add --yes")
    try:
        restore_backup(settings=_settings(), source=Path(source))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored from {source}")


@main.group()
def citizens() -> None:
    """Citizens who report through Telegram."""


@citizens.command("block")
@click.argument("tracking_code")
def citizens_block(tracking_code: str) -> None:
    """Refuse new reports from the sender of a report (abuse, floods)."""
    from core.citizens.telegram import set_blocked

    run_with_database(
        lambda: set_blocked(tracking_code=tracking_code, blocked=True, actor=OPERATOR)
    )
    click.echo(f"the sender of {tracking_code} can no longer send reports")


@citizens.command("unblock")
@click.argument("tracking_code")
def citizens_unblock(tracking_code: str) -> None:
    """Let the sender of a report send reports again."""
    from core.citizens.telegram import set_blocked

    run_with_database(
        lambda: set_blocked(tracking_code=tracking_code, blocked=False, actor=OPERATOR)
    )
    click.echo(f"the sender of {tracking_code} can send reports again")


@main.group()
def holidays() -> None:
    """The working-day calendar: national holidays and cuti bersama."""


@holidays.command("list")
@click.option("--year", type=click.IntRange(2000, 2100))
def holidays_list(year: int | None) -> None:
    from core.service_levels.holidays import list_holidays

    for row in run_with_database(lambda: list_holidays(year=year)):
        click.echo(f"{row.day.isoformat()}  {row.kind:<13} {row.name}")


@holidays.command("add")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("name")
@click.option("--kind", type=click.Choice(["national", "cuti_bersama"]), default="national")
def holidays_add(day: Any, name: str, kind: str) -> None:
    from core.service_levels.holidays import add_holiday

    run_with_database(lambda: add_holiday(day=day.date(), name=name, kind=kind, actor=OPERATOR))
    click.echo(f"added {day.date().isoformat()}")


@holidays.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
def holidays_remove(day: Any) -> None:
    from core.service_levels.holidays import remove_holiday

    run_with_database(lambda: remove_holiday(day=day.date(), actor=OPERATOR))
    click.echo(f"removed {day.date().isoformat()}")


@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.option("--username", required=True)
@click.option("--full-name", default="")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["officer", "head", "verifier", "leadership", "admin"]),
)
@click.option("--department", "department_code", help="Department code, for officer and head")
@click.option(
    "--email",
    default=None,
    help="Where the staff notices go while no Telegram chat is linked (shown to admins only).",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="INGATKAN_USER_PASSWORD",
    help="Prompted for when not given (or read from INGATKAN_USER_PASSWORD).",
)
def users_create(
    username: str,
    full_name: str,
    role: str,
    department_code: str | None,
    email: str | None,
    password: str,
) -> None:
    """Create a staff account."""
    from core.staff.users import create_user

    user = run_with_database(
        lambda: create_user(
            username=username,
            full_name=full_name,
            password=password,
            role=role,
            department_code=department_code,
            email=email,
            actor=OPERATOR,
        )
    )
    click.echo(f"created {user.role} {user.username}")


@main.command()
@click.option("--reports", type=click.IntRange(1, 10_000_000), required=True)
@click.option("--days", type=click.IntRange(1, 3650), default=180, show_default=True)
@click.option("--seed", "random_seed", type=int, default=7, show_default=True)
def seed(reports: int, days: int, random_seed: int) -> None:
    """Fill the database with a realistic synthetic history (for demos and benchmarks), and
    bring the dashboards' figures up to date with it, so no page computes them."""
    import time

    from core.figures.rollup import refresh
    from core.reports.synthetic import SeedResult, seed_history
    from db.engine import analyze
    from db.tables import DepartmentDay, DepartmentWeek, ReportMetric, ReportTally

    started = time.perf_counter()

    def progress(what: str) -> Callable[[int, int], None]:
        def say(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            line = f"\r{what}: {done:>10,}/{total:,} reports  {rate:,.0f}/s"
            click.echo(line, nl=False, err=True)

        return say

    async def work() -> SeedResult:
        nonlocal started
        result = await seed_history(
            reports=reports, days=days, seed=random_seed, progress=progress("seeding")
        )
        click.echo("", err=True)
        started = time.perf_counter()
        await refresh(progress=progress("figures"))
        await analyze(ReportMetric, DepartmentDay, DepartmentWeek, ReportTally)
        click.echo("", err=True)
        return result

    begun = time.perf_counter()
    result = run_with_database(work)
    click.echo(
        f"seeded {result.reports:,} reports, {result.events:,} events, "
        f"{result.citizens:,} citizens, and their figures, in {time.perf_counter() - begun:.1f}s"
    )


@main.group()
def apikeys() -> None:
    """API keys for systems that submit reports through Open311."""


@apikeys.command("create")
@click.option("--name", required=True, help="The system the key is for.")
def apikeys_create(name: str) -> None:
    """Issue a key; it is printed this once and only its hash is stored."""
    from core.integrations.api_keys import issue_api_key

    issued, key = run_with_database(lambda: issue_api_key(name=name, actor=OPERATOR))
    click.echo(f"created key {issued.id} ({issued.prefix}…) for {issued.name}", err=True)
    click.echo(key)


@apikeys.command("list")
def apikeys_list() -> None:
    """Every key, by id, prefix and name; never the key itself."""
    from core.integrations.api_keys import list_api_keys

    for listed in run_with_database(list_api_keys):
        state = "active" if listed.active else "revoked"
        click.echo(f"{listed.id}\t{listed.prefix}…\t{state}\t{listed.name}")


@apikeys.command("revoke")
@click.argument("key_id", type=int)
def apikeys_revoke(key_id: int) -> None:
    """Refuse a key from now on."""
    from core.integrations.api_keys import revoke_api_key

    run_with_database(lambda: revoke_api_key(key_id=key_id, actor=OPERATOR))
    click.echo(f"revoked key {key_id}")


@main.group("metrics")
def metrics_group() -> None:
    """The dashboards' pre-aggregated figures (docs/metrics.md)."""


@metrics_group.command("refresh")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Derive every report again (after holidays or service levels change).",
)
def metrics_refresh(rebuild: bool) -> None:
    """Bring the figures up to date with the reports (the scheduler does this every 5 minutes;
    pages derive only small changes as they load)."""
    import time

    from core.figures.rollup import refresh

    started = time.perf_counter()
    result = run_with_database(lambda: refresh(rebuild=rebuild))
    click.echo(
        f"derived {result.reports:,} reports, rewrote {result.days:,} days "
        f"in {time.perf_counter() - started:.1f}s"
    )
