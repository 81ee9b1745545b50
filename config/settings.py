"""One settings object, read from the environment and validated once."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_PATH = Path("data") / "ingatkan.sqlite3"
_RATE_LIMIT = re.compile(r"^(\d+)\s*/\s*(second|minute|hour|day)$")


class SettingsError(ValueError):
    """An environment variable has a value the product cannot use."""


@dataclass(frozen=True)
class RateLimit:
    requests: int
    unit: str  # "second" | "minute" | "hour" | "day", as Litestar's RateLimitConfig wants


def parse_rate_limit(value: str) -> RateLimit | None:
    """`30/minute` -> RateLimit(30, "minute"); `off` -> None."""
    value = value.strip().lower()
    if value in {"off", "none", "0"}:
        return None
    match = _RATE_LIMIT.match(value)
    if not match or int(match.group(1)) < 1:
        raise SettingsError(f"INGATKAN_RATE_LIMIT={value!r}: expected e.g. '30/minute' or 'off'")
    return RateLimit(int(match.group(1)), match.group(2))


def parse_host_list(value: str) -> frozenset[str]:
    """`sipd.malangkota.go.id, 10.1.2.3` -> the hosts as written; core.integrations.targets
    spells each one as it compares them."""
    return frozenset(entry.strip() for entry in value.split(",") if entry.strip())


@dataclass(frozen=True)
class SmtpServer:
    """Where mail goes: `smtp://` plain, `smtp+starttls://` upgraded, `smtps://` TLS from the
    first byte; a user and password when the server wants them."""

    host: str
    port: int
    security: str  # "plain" | "starttls" | "tls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)


_SMTP_SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
_SMTP_HELP = (
    "INGATKAN_SMTP_URL must be 'smtp://host:port', 'smtp+starttls://user:pass@host:port' or "
    "'smtps://user:pass@host:port'"
)


def parse_smtp_url(value: str) -> SmtpServer:
    """`smtp+starttls://user:pass@mail.malangkota.go.id:587` -> an SmtpServer."""
    parts = urlsplit(value.strip())
    if parts.scheme not in _SMTP_SCHEMES or not parts.hostname or parts.path not in ("", "/"):
        raise SettingsError(_SMTP_HELP)
    security, default_port = _SMTP_SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise SettingsError(_SMTP_HELP) from error
    return SmtpServer(
        host=parts.hostname,
        port=port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _check_mail_from(value: str) -> str:
    _, address = parseaddr(value)
    if address.count("@") != 1 or any(character.isspace() for character in address):
        raise SettingsError(
            f"INGATKAN_MAIL_FROM={value!r}: expected an address such as "
            "'Ingatkan <ingatkan@malangkota.go.id>'"
        )
    return value


def _check_public_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(
            f"INGATKAN_PUBLIC_URL={value!r}: expected e.g. 'https://ingatkan.malangkota.go.id'"
        )
    return value.rstrip("/")


def _check_database_url(url: str) -> str:
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return url
    if url.startswith(("postgresql://", "postgres://")):
        return url
    raise SettingsError(
        "INGATKAN_DATABASE_URL must be 'sqlite:///path' or 'postgresql://user@host:port/db'"
    )


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DATABASE_PATH}"
    secret_key: str = field(default="", repr=False)
    rate_limit: RateLimit | None = RateLimit(30, "minute")
    timezone: str = "Asia/Jakarta"
    redis_url: str | None = None
    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_api_base_url: str | None = None
    telegram_webhook_secret: str | None = field(default=None, repr=False)
    # Hosts on the city's own network a department webhook may target (names or addresses).
    webhook_allowed_hosts: frozenset[str] = frozenset()
    metrics_token: str | None = field(default=None, repr=False)
    # Without an SMTP server, mail waits in the outbox as Telegram messages do without a bot.
    smtp: SmtpServer | None = None
    mail_from: str = "Ingatkan <ingatkan@localhost>"
    # Where citizens open the links in their mail.
    public_url: str = "http://localhost:8000"
    # The maps' base layer: a tile URL template ({z}/{x}/{y}) and the credit it requires. The
    # pages work without it (offline): the city's outline and the points are drawn regardless.
    map_tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "© OpenStreetMap contributors"

    def __post_init__(self) -> None:
        _check_database_url(self.database_url)
        _check_mail_from(self.mail_from)
        object.__setattr__(self, "public_url", _check_public_url(self.public_url))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise SettingsError(
                f"INGATKAN_TIMEZONE={self.timezone!r} is not a time zone"
            ) from error

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        return cls(
            database_url=get("INGATKAN_DATABASE_URL") or cls.database_url,
            secret_key=get("INGATKAN_SECRET_KEY") or "",
            rate_limit=parse_rate_limit(get("INGATKAN_RATE_LIMIT") or "30/minute"),
            timezone=get("INGATKAN_TIMEZONE") or cls.timezone,
            redis_url=get("INGATKAN_REDIS_URL"),
            telegram_bot_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            webhook_allowed_hosts=parse_host_list(get("INGATKAN_WEBHOOK_ALLOWED_HOSTS") or ""),
            metrics_token=get("INGATKAN_METRICS_TOKEN"),
            smtp=parse_smtp_url(smtp_url) if (smtp_url := get("INGATKAN_SMTP_URL")) else None,
            mail_from=get("INGATKAN_MAIL_FROM") or cls.mail_from,
            public_url=get("INGATKAN_PUBLIC_URL") or cls.public_url,
            map_tiles=get("INGATKAN_MAP_TILES") or cls.map_tiles,
            map_attribution=get("INGATKAN_MAP_ATTRIBUTION") or cls.map_attribution,
        )


# The settings this process runs with, bound once at start (create_app, the CLI) as the
# database engine is (db.engine.bind): the city's time zone and the like are read here, not
# from the environment again at each use, so an app made with other settings keeps to them.
_bound: Settings | None = None


def bind(settings: Settings) -> None:
    global _bound
    _bound = settings


def current() -> Settings:
    """The bound settings; before anything binds them (a script, a test of core alone), the
    environment's."""
    return _bound or Settings.from_env()
