"""A real SMTP server (aiosmtpd) for the mail tests, and the settings that point at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from litestar.testing import AsyncTestClient

from config.settings import Settings, SmtpServer
from core import clock
from scheduler.delivery import deliver_all
from scheduler.mail import mail_deliverers
from tests.apps import app_for
from tests.open311.conftest import KeywordRouter
from tests.pages.sessions import in_app
from tests.ports import free_port

PUBLIC_URL = "https://ingatkan.test"
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


class Mailbox:
    """What the server accepted; addresses in `refuse` get a permanent 550, those in `defer`
    a passing 451. The hooks are named as aiosmtpd calls them."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.defer: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.defer:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default)
        self.messages.append(cast(EmailMessage, message))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]
    try:
        yield box
    finally:
        controller.stop()


def mail_settings(database_url: str, mailbox: Mailbox) -> Settings:
    return Settings(
        database_url=database_url,
        rate_limit=None,
        smtp=SmtpServer(host="127.0.0.1", port=mailbox.port, security="plain"),  # type: ignore[attr-defined]
        mail_from="Ingatkan Kota Malang <ingatkan@malangkota.go.id>",
        public_url=PUBLIC_URL,
    )


@pytest.fixture
def pinned() -> Iterator[None]:
    with clock.frozen_at(MONDAY_9):
        yield


@pytest.fixture
async def mail_client(
    database_url: str, mailbox: Mailbox, pinned: None
) -> AsyncIterator[AsyncTestClient]:
    app = await app_for(mail_settings(database_url, mailbox), router=KeywordRouter())
    async with AsyncTestClient(app=app) as client:
        client.mail_settings = mail_settings(database_url, mailbox)  # type: ignore[attr-defined]
        yield client


def deliver_in_app(client: AsyncTestClient) -> None:
    """Deliver the due mail on the app's event loop, as a scheduler beside it would."""

    async def run() -> None:
        async with mail_deliverers(client.mail_settings) as deliverers:  # type: ignore[attr-defined]
            await deliver_all(deliverers=deliverers)

    in_app(client, run)
