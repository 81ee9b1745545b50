"""A real SMTP server (aiosmtpd) for the mail tests, and the settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller

from config.settings import Settings, SmtpServer
from tests.ports import free_port

PUBLIC_URL = "https://ingatkan.test"


class Mailbox:
    """What the server accepted; addresses in `refuse` get a permanent 550. The hooks are
    named as aiosmtpd calls them."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
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
