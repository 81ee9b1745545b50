"""The bot's test infrastructure (a local Bot API server, the web app in webhook mode, a
citizen on Telegram), shared with the Telegram outage proof."""

from tests.bot.conftest import ani, telegram_api, web  # noqa: F401
