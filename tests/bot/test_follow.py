"""A report made on the web page, or with an email address, followed in Telegram: the page and
the receipt mail offer a one-time t.me link (the bot's username from the local Bot API
server's getMe), `/start <code>` attaches the report to the chat, which then hears each
change once and rates it there. The real web app, PTB and a real SMTP server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from api.app import create_app
from config.settings import SmtpServer
from core import clock
from core.citizens.mail import confirm_address
from db.tables import OutboxMessage, Report
from scheduler.delivery import deliver_all
from scheduler.runner import delivery_channels
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi, Served, message_update
from tests.helpers import FixedRouter, perform
from tests.mail.conftest import PUBLIC_URL, Mailbox, mailbox  # noqa: F401 (a fixture)
from tests.mail.test_mail import plain
from tests.pages.sessions import post_form

ROAD = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, bahaya untuk motor"
# The whole token: a `\b` after it would drop a trailing "-" (one token in 64 ends with one).
_START = re.compile(r"https://t\.me/ingatkan_local_bot\?start=([A-Za-z0-9_-]{1,64})")


class WebAppWithMail(WebApp):
    """The web app with the bot and an SMTP server, as a city runs it."""

    def __init__(self, database_url: str, api: LocalBotApi, box: Mailbox) -> None:
        super().__init__(database_url, api, FixedRouter("DPUPRPKP"))
        self.settings = replace(
            bot_settings(database_url, api),
            smtp=SmtpServer(host="127.0.0.1", port=box.port, security="plain"),  # type: ignore[attr-defined]
            public_url=PUBLIC_URL,
        )

    async def start(self) -> None:
        app = create_app(self.settings, router=self.router)
        self.served = await Served.start(app)
        self.client = httpx.AsyncClient(base_url=self.served.url, timeout=30)

    async def deliver_outbox(self) -> None:
        async with delivery_channels(self.settings) as channels:
            await deliver_all(deliverers=channels)


@pytest.fixture
async def city(
    database_url: str,
    telegram_api: LocalBotApi,
    mailbox: Mailbox,  # noqa: F811
) -> AsyncIterator[WebAppWithMail]:
    app = WebAppWithMail(database_url, telegram_api, mailbox)
    await app.start()
    yield app
    await app.stop()


async def web_report(web: WebApp, **fields: str) -> str:
    assert web.client is not None
    sent = await post_form(web.client, "/laporan", {"text": ROAD, **fields})  # type: ignore[arg-type]
    assert sent.status_code == 303, sent.text
    code: str = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    return code


def chat_texts(api: LocalBotApi, chat_id: int) -> list[str]:
    return [call.params["text"] for call in api.sent(chat_id, method="sendMessage")]


async def test_a_web_report_followed_in_telegram_hears_each_change_once_and_is_rated_there(
    city: WebAppWithMail, telegram_api: LocalBotApi
) -> None:
    ani, budi = Person(city, 5001), Person(city, 5002)
    assert city.client is not None
    code = await web_report(city)  # no contact at all: only the chat will hear of it
    page = await city.client.get(f"/lacak/{code}?baru=1")
    start = _START.search(page.text)
    assert start and "Ikuti di Telegram" in page.text
    # Shown once, like the follow-up key.
    assert not _START.search((await city.client.get(f"/lacak/{code}")).text)

    (followed,) = await ani.says(f"/start {start.group(1)}")
    assert f"mengikuti laporan {code}" in followed
    for action in ("acknowledge", "resolve"):
        await perform(action, code)
    await city.deliver_outbox()
    told = chat_texts(telegram_api, ani.chat_id)
    for fragment in ("sedang ditangani oleh", "dinyatakan selesai oleh"):
        assert sum(fragment in text for text in told) == 1, told

    assert "4/5" in (await ani.presses("4 ⭐"))[0]
    report = (
        await Report.select(Report.status, Report.rating)
        .where(Report.tracking_code == code)
        .first()
    )
    assert report == {"status": "closed", "rating": 4}

    # The code worked once: neither the same chat nor another one can use it again.
    for person in (ani, budi):
        (refused,) = await person.says(f"/start {start.group(1)}")
        assert "tidak berlaku lagi" in refused
    (unknown,) = await budi.says("/start bukan-kode-yang-ada")
    assert "tidak berlaku lagi" in unknown


async def test_the_receipt_mail_offers_telegram_and_the_chat_then_hears_instead_of_the_mail(
    city: WebAppWithMail,
    telegram_api: LocalBotApi,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    code = await web_report(city, email="siti@example.id")
    await city.deliver_outbox()
    (receipt,) = mailbox.to("siti@example.id")
    start = _START.search(plain(receipt))
    assert start, plain(receipt)
    confirm = re.search(rf"{PUBLIC_URL}/surel/konfirmasi/(\S+)", plain(receipt))
    assert confirm
    await confirm_address(token=confirm.group(1))

    # An English-speaking Telegram user is answered in English.
    english = await Person(city, 5003).sends_update(
        message_update(
            telegram_api.next_update_id(), 5003, text=f"/start {start.group(1)}", language_code="en"
        )
    )
    assert f"You now follow report {code}" in english[0], english

    await perform("acknowledge", code)
    await city.deliver_outbox()
    told = chat_texts(telegram_api, 5003)
    assert sum(code in text and "being handled" in text for text in told) == 1, told
    # Updates reach the chat, not also the address: one message per change.
    assert len(mailbox.to("siti@example.id")) == 1
    assert not await OutboxMessage.exists().where(OutboxMessage.status == "pending")


async def test_an_expired_code_is_refused(city: WebAppWithMail) -> None:
    assert city.client is not None
    code = await web_report(city)
    start = _START.search((await city.client.get(f"/lacak/{code}?baru=1")).text)
    assert start
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        (refused,) = await Person(city, 5004).says(f"/start {start.group(1)}")
    assert "tidak berlaku lagi" in refused
    assert await Report.select(Report.citizen).where(Report.tracking_code == code).first() == {
        "citizen": None
    }
