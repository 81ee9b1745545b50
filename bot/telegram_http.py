"""The bot's HTTP client for the Bot API: PTB's request interface on aiohttp.

PTB's own client (httpx) looks over every connection of its pool at each request and at each
response, asking the kernel of every idle one whether Telegram has closed it. Under a crowd
that bookkeeping was a quarter of a bot replica's processor time at 20 connections, and grows
with the pool. aiohttp hands out an idle connection without looking at the others, so the pool
can be as large as Telegram's round trip asks for (each connection carries one request at a
time), and a replica's processor time per update halved (docs/intake.md).
"""

from __future__ import annotations

import re
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's own defaults (HTTPXRequest), for a call that does not name its own.
READ_SECONDS = 5.0
WRITE_SECONDS = 5.0
CONNECT_SECONDS = 5.0
# An upload may take longer to write than a JSON body.
MEDIA_WRITE_SECONDS = 20.0
# A bot token, as the Bot API's URLs carry it ("bot123456:AAH…/sendMessage").
_TOKEN = re.compile(r"\d+:[\w-]{8,}")


class AiohttpRequest(BaseRequest):
    """One aiohttp session of at most `connections` connections, opened when the bot is
    initialised (aiohttp binds it to the running event loop). A request waits up to
    `pool_seconds` for a free connection."""

    __slots__ = ("_connections", "_pool_seconds", "_proxies", "_session")

    def __init__(self, *, connections: int, pool_seconds: float) -> None:
        self._connections = connections
        self._pool_seconds = pool_seconds
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float:
        return READ_SECONDS

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("the Bot API client is not initialised")
        uploads = request_data is not None and request_data.contains_files
        connect = _seconds(connect_timeout, CONNECT_SECONDS)
        pool = _seconds(pool_timeout, self._pool_seconds)
        read = _seconds(read_timeout, READ_SECONDS)
        write = _seconds(write_timeout, MEDIA_WRITE_SECONDS if uploads else WRITE_SECONDS)
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no write timeout: the whole request is held to the sum of its parts.
            total=_sum(pool, connect, write, read),
            # aiohttp's "connect" is waiting for a pooled connection and opening a new one.
            connect=_sum(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, timeout=timeout, proxy=self._proxy(url), **_body(request_data)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # Some of aiohttp's errors name the URL, and no log line may show the token.
            said = _TOKEN.sub("<token>", str(error))
            raise NetworkError(f"aiohttp.{type(error).__name__}: {said}") from error

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for the Bot API's address (HTTPS_PROXY, unless
        NO_PROXY names the host), as PTB's own client used. Looked up once: aiohttp's own
        look-up (trust_env) reads the environment and ~/.netrc, in a thread, at every request."""
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        if origin not in self._proxies:
            bypass = bool(parts.hostname and urllib.request.proxy_bypass(parts.hostname))
            found = None if bypass else urllib.request.getproxies().get(parts.scheme)
            self._proxies[origin] = found
        return self._proxies[origin]


def _seconds(given: Any, default: float | None) -> float | None:
    """A timeout PTB passes: a number, None (no limit), or DEFAULT_NONE (the default)."""
    if given is None or isinstance(given, (int, float)):
        return given
    return default


def _sum(*parts: float | None) -> float | None:
    return None if None in parts else sum(part for part in parts if part is not None)


def _body(request_data: RequestData | None) -> dict[str, Any]:
    """The request's body as PTB's own client sends it: a form of JSON-encoded parameters,
    with the files as parts of a multipart form when there are any."""
    if request_data is None:
        return {}
    if not request_data.contains_files:
        return {"data": request_data.json_parameters}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, *media_type = part
        form.add_field(
            name, content, filename=filename, content_type=media_type[0] if media_type else None
        )
    return {"data": form}
