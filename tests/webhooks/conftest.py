"""A department's system, played by a small Litestar app on 127.0.0.1 in a thread of its own
(so it answers while a test waits on the app under test), recording every POST it gets."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import pytest
import uvicorn
from litestar import Litestar, Request, Response, post
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from config.settings import Settings
from tests.apps import app_for
from tests.helpers import FixedRouter
from tests.ports import free_port

FLAKY_FAILURES = 3
# The receivers listen on loopback, which only an operator's allow-list opens to webhooks.
RECEIVER_HOSTS = frozenset({"127.0.0.1"})


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    """/ok answers 200; /flaky answers 500 to the first three tries of each delivery id, then
    200; /down always 500; /hangs never answers while the test runs; /gone 410."""

    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    tries: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [request for request in self.received if request.path == path]

    def app(self) -> Litestar:
        @post("/{path:str}", status_code=200)
        async def receive(request: Request, path: FromPath[str]) -> Response[str]:
            body = await request.body()
            delivery_id = request.headers.get("x-ingatkan-delivery", "")
            with self.lock:
                self.tries[delivery_id] += 1
                tries = self.tries[delivery_id]
            if path == "hangs":
                await asyncio.sleep(3600)  # until the server's shutdown cuts it off
            answer = {
                "ok": 200,
                "flaky": 500 if tries <= FLAKY_FAILURES else 200,
                "down": 500,
                "hangs": 200,
                "gone": 410,
            }[path]
            with self.lock:
                self.received.append(Received(path, dict(request.headers), body, answer))
            return Response("ok" if answer == 200 else "no", status_code=answer)

        return Litestar([receive])


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            receiver.app(),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the receiver did not start"
        time.sleep(0.01)
    receiver.base_url = f"http://127.0.0.1:{port}"
    yield receiver
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[AsyncTestClient]:
    """The whole app, every report routed to DLH."""
    app = await app_for(
        Settings(database_url=database_url, rate_limit=None, webhook_allowed_hosts=RECEIVER_HOSTS),
        router=FixedRouter("DLH"),
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client
