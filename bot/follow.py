"""The "Ikuti di Telegram" link of a report sent on the web page or with an email address:
`https://t.me/<bot username>?start=<one-time code>`, answered by the bot's `/start <code>`
(core/citizens/telegram.py: follow_report).

The bot's username comes from Telegram's getMe, asked the first time a link is made and kept
for the process. Without a bot token, or while Telegram cannot be asked, there is no link,
and the page and the mail simply do not offer it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.error import TelegramError

from bot.runtime import make_bot
from config.settings import Settings
from core import clock
from core.citizens.telegram import new_follow_code

logger = logging.getLogger("ingatkan.bot")

# After getMe failed, pages and mails go without the link this long rather than each wait.
ASK_AGAIN_AFTER = timedelta(minutes=5)
_usernames: dict[tuple[str, str | None], str] = {}
_failed_at: dict[tuple[str, str | None], datetime] = {}


async def bot_username(settings: Settings) -> str | None:
    """The bot's @username (without the @), or None without a bot or when getMe fails."""
    token = settings.telegram_bot_token
    if not token:
        return None
    key = (token, settings.telegram_api_base_url)
    if key in _usernames:
        return _usernames[key]
    failed = _failed_at.get(key)
    if failed is not None and clock.now() - failed < ASK_AGAIN_AFTER:
        return None
    try:
        async with make_bot(settings) as bot:  # initialising a bot asks getMe
            _usernames[key] = bot.username
    except TelegramError as error:
        logger.warning("getMe failed, no Telegram link offered: %s", type(error).__name__)
        _failed_at[key] = clock.now()
        return None
    return _usernames[key]


async def follow_link(settings: Settings, *, report_id: int, citizen_id: int | None) -> str | None:
    """A new one-time link to follow the report in Telegram, or None without a bot."""
    username = await bot_username(settings)
    if username is None:
        return None
    code = await new_follow_code(report_id=report_id, citizen_id=citizen_id)
    return f"https://t.me/{username}?start={code}"
