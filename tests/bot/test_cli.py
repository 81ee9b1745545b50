"""`ingatkan bot` as an operator runs it, in its own process, against the local Bot API."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from core.citizens.limits import CitizenBlocked, ensure_may_report
from core.citizens.telegram import telegram_citizen
from core.reports.intake import submit_report
from core.routing.decision import TriageRouter
from tests.bot.conftest import SECRET, TOKEN
from tests.bot.local_api import LocalBotApi, message_update

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

INGATKAN = str(Path(sys.executable).parent / "ingatkan")


def _environment(api: LocalBotApi, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "INGATKAN_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        **extra,
    }


async def test_ingatkan_bot_polls_until_told_to_stop(
    telegram_api: LocalBotApi, templates: dict[str, str], tmp_path: Path
) -> None:
    # A migrated database with its model, so the bot polls at once: training on a first
    # start is proven once, by `ingatkan serve` (tests/test_cli.py).
    shutil.copy(templates["sqlite"], tmp_path / "bot.sqlite3")
    process = await asyncio.create_subprocess_exec(
        INGATKAN,
        "bot",
        cwd=tmp_path,
        env=_environment(telegram_api, tmp_path),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await telegram_api.push(message_update(telegram_api.next_update_id(), 42, text="/start"))
        await telegram_api.wait_for(lambda: bool(telegram_api.sent(42)), seconds=180)
        assert "ingatkan" in telegram_api.sent(42)[0].params["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert TOKEN not in stderr.decode()  # the token is part of every Bot API URL


async def test_ingatkan_bot_webhook_registers_the_url_with_the_secret(
    telegram_api: LocalBotApi, tmp_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        INGATKAN,
        "bot",
        "--webhook",
        "https://lapor.malangkota.go.id",
        cwd=tmp_path,
        env=_environment(telegram_api, tmp_path, TELEGRAM_WEBHOOK_SECRET=SECRET),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert telegram_api.webhook_url == "https://lapor.malangkota.go.id/telegram/webhook"
    assert telegram_api.webhook_secret == SECRET
    assert b"/telegram/webhook" in stdout


async def test_ingatkan_citizens_block_and_unblock(db: str, tmp_path: Path) -> None:
    citizen = await telegram_citizen(chat_id=77)
    report = await submit_report(
        text="Lampu jalan di Jl. Kawi mati sejak tiga hari",
        channel="telegram",
        router=TriageRouter(),
        citizen_id=citizen.id,
    )
    code = report.tracking_code

    async def run(*arguments: str) -> str:
        process = await asyncio.create_subprocess_exec(
            INGATKAN,
            *arguments,
            cwd=tmp_path,
            env={**os.environ, "INGATKAN_DATABASE_URL": db},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, stderr.decode()
        return stdout.decode()

    assert "can no longer send reports" in await run("citizens", "block", code.lower())
    with pytest.raises(CitizenBlocked):
        await ensure_may_report(citizen_id=citizen.id)
    await run("citizens", "unblock", code)
    await ensure_may_report(citizen_id=citizen.id)
