"""The HTTP door: JSON API, Open311, pages and the Telegram webhook, in one Litestar app."""
