"""The bot's HTTP client for the Bot API (bot/telegram_http.py): what PTB sends reaches the
server as PTB's own client would send it, and a server that refuses or does not answer is
reported as PTB's errors, which the bot and the outbox already handle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from telegram.error import NetworkError, TimedOut

from bot.runtime import make_bot
from bot.telegram_http import AiohttpRequest
from config.settings import Settings
from tests.bot.conftest import TOKEN
from tests.bot.local_api import LocalBotApi, Upload
from tests.ports import free_port

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


def settings(api: LocalBotApi) -> Settings:
    return Settings(telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url)


async def test_a_message_with_buttons_arrives_as_telegram_reads_it(
    telegram_api: LocalBotApi,
) -> None:
    async with make_bot(settings(telegram_api)) as bot:
        await bot.send_message(
            7001,
            "Laporan terkirim ✅",
            reply_markup={"inline_keyboard": [[{"text": "Lacak", "callback_data": "t:1"}]]},
        )
    (call,) = telegram_api.sent(7001)
    assert call.params["text"] == "Laporan terkirim ✅"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Lacak"


async def test_a_photo_the_bot_uploads_arrives_as_a_file(telegram_api: LocalBotApi) -> None:
    async with make_bot(settings(telegram_api)) as bot:
        message = await bot.send_photo(7002, photo=JPEG, caption="Foto laporan", filename="a.jpg")
    (call,) = telegram_api.sent(7002, method="sendPhoto")
    assert call.params["photo"] == Upload("a.jpg", JPEG)
    assert call.params["caption"] == "Foto laporan"
    assert message.photo and message.caption == "Foto laporan"


async def test_a_refused_connection_is_a_network_error() -> None:
    async with AiohttpRequest(connections=2, pool_seconds=1.0) as request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
    assert not isinstance(raised.value, TimedOut)


async def test_an_error_naming_the_url_does_not_show_the_token() -> None:
    async with AiohttpRequest(connections=2, pool_seconds=1.0) as request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:99999/bot{TOKEN}/getMe")  # no such port
    assert "getMe" in str(raised.value)
    assert TOKEN.split(":")[1] not in str(raised.value)


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A server that takes the connection and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_server_that_does_not_answer_in_time_is_a_timeout(silent_server: int) -> None:
    url = f"http://127.0.0.1:{silent_server}/bot{TOKEN}/getMe"
    async with AiohttpRequest(connections=2, pool_seconds=1.0) as request:
        with pytest.raises(TimedOut):
            await request.post(url, read_timeout=0.2)


@dataclass
class Proxy:
    """A stand-in for a forward proxy: it records each request line and answers for
    Telegram."""

    address: str = ""
    request_lines: list[bytes] = field(default_factory=list)


@pytest.fixture
async def proxy() -> AsyncIterator[Proxy]:
    found = Proxy()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        found.request_lines.append((await reader.readline()).strip())
        while (await reader.readline()).strip():
            pass  # the headers
        body = b'{"ok":true,"result":true}'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    found.address = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    yield found
    server.close()
    await server.wait_closed()


async def test_the_proxy_the_environment_names_is_used_unless_the_host_is_exempt(
    telegram_api: LocalBotApi, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("http_proxy", "no_proxy", "NO_PROXY"):  # the lower case wins when both are set
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.address)
    url = f"{telegram_api.base_url}{TOKEN}/close"
    async with AiohttpRequest(connections=2, pool_seconds=1.0) as request:
        assert await request.post(url) is True
    assert proxy.request_lines == [f"POST {url} HTTP/1.1".encode()]
    assert not telegram_api.attempts("close")

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with AiohttpRequest(connections=2, pool_seconds=1.0) as request:
        assert await request.post(url) is True
    assert len(proxy.request_lines) == 1, "an exempt host is reached directly"
    assert telegram_api.attempts("close")
