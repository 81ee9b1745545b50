"""An urgent report in the bot (the real PTB stack against the local Bot API server): sent before
any optional question, the city's emergency lines first in the citizen's language, and only a
true word on who was alerted; the department's officers hear of it on Telegram where they linked
a chat and by mail (a real aiosmtpd server) where they did not."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from config.settings import Settings, SmtpServer
from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import Report, ReportAttachment, User
from scheduler.delivery import deliver_all
from scheduler.runner import delivery_channels
from tests.bot.conftest import TOKEN, Person, WebApp
from tests.bot.local_api import LocalBotApi
from tests.helpers import FixedRouter
from tests.mail.conftest import PUBLIC_URL, Mailbox, mailbox  # noqa: F401 (a fixture)
from tests.mail.test_mail import plain
from tests.mail.test_staff_mail import _staff

WIRE = "Kabel listrik putus menjuntai ke jalan di depan SD Kauman, anak-anak lewat setiap pagi"
NUMBERS = ["112", "110", "113", "119", "123"]


@pytest.fixture
async def urgent_web(database_url: str, telegram_api: LocalBotApi) -> AsyncIterator[WebApp]:
    """The app in webhook mode; new reports go to DLH, flagged urgent."""
    app = WebApp(database_url, telegram_api, FixedRouter("DLH", urgent=True))
    await app.start()
    yield app
    await app.stop()


def _code(texts: list[str]) -> str:
    found = re.search(r"MLG-[A-Z0-9]{6}", "\n".join(texts))
    assert found, texts
    return found.group(0)


def _numbers_in(text: str) -> list[str]:
    return re.findall(r": (\d{3})\b", text)


async def test_an_urgent_report_is_sent_at_once_with_the_emergency_lines_first(
    urgent_web: WebApp,
) -> None:
    ani = Person(urgent_web, 5101)
    replies = await ani.says(WIRE)
    code = _code(replies)
    # Sent with the first message: no "Next", no privacy question, no confirmation first.
    stored = await Report.select(Report.text, Report.urgent).where(Report.tracking_code == code)
    assert stored == [{"text": WIRE, "urgent": True}]
    lines = next(i for i, text in enumerate(replies) if "112" in text)
    receipt = next(i for i, text in enumerate(replies) if code in text)
    assert lines < receipt
    assert replies[lines].startswith("🚨 Darurat? Hubungi sekarang:")
    assert "Call Center 112 Kota Malang: 112" in replies[lines]
    assert _numbers_in(replies[lines]) == NUMBERS
    # Nobody in DLH, no verifier, no admin can be reached: the citizen is not told otherwise.
    told = "\n".join(replies)
    assert "segera diberi tahu" not in told and "sudah diberi tahu" not in told
    assert "saluran darurat di atas jauh lebih cepat" in replies[receipt]
    # Back at the menu, nothing is asked; the location button is offered above it.
    assert ani.keyboard()[:2] == ["📍 Bagikan lokasi", "📝 Buat laporan"]
    # Asked afterwards: a photo or a location sent now is added to the report already sent.
    assert "Ada foto, atau lokasinya? Kirim sekarang" in replies[receipt]
    assert await ani.sends_photo(file_id="AgAC-kabel-1") == [f"Foto ditambahkan ke laporan {code}."]
    photos = await ReportAttachment.select(ReportAttachment.file_id).where(
        ReportAttachment.report.tracking_code == code
    )
    assert photos == [{"file_id": "AgAC-kabel-1"}]
    # A point outside the city is refused as at intake, naming where to report instead.
    (refused,) = await ani.shares_location(-7.8713, 112.5269)  # Alun-alun Kota Batu
    assert "laporkan kepada Pemerintah Kota Batu" in refused
    place = Report.select(Report.latitude, Report.longitude, Report.kecamatan).where(
        Report.tracking_code == code
    )
    # Until then its kecamatan is the one its text names (Kauman lies in Klojen).
    assert await place == [{"latitude": None, "longitude": None, "kecamatan": "Klojen"}]
    (placed,) = await ani.shares_location(-8.0140, 112.6280)  # Pasar Gadang
    assert placed == f"Lokasi ditambahkan ke laporan {code} (Kecamatan Sukun)."
    assert await place == [{"latitude": -8.014, "longitude": 112.628, "kecamatan": "Sukun"}]
    assert ani.keyboard()[0] == "📝 Buat laporan"  # the location button has served
    # The next message is a new report again, not an addition.
    (started, *_) = await ani.says("Lampu jalan di depan rumah saya mati sejak kemarin malam")
    assert started == "Saya siapkan laporan dari pesan Anda."

    # In English for a citizen whose Telegram is in English.
    eve = Person(urgent_web, 5102)
    english = await eve.sends(text=WIRE, language_code="en")
    lines_en = next(text for text in english if "112" in text)
    assert lines_en.startswith("🚨 Emergency? Call now:")
    assert "Kota Malang Call Center 112: 112" in lines_en and "Police: 110" in lines_en
    assert _numbers_in(lines_en) == NUMBERS
    assert english.index(lines_en) < next(i for i, t in enumerate(english) if "MLG-" in t)


async def test_the_department_hears_at_once_on_telegram_or_by_mail(
    urgent_web: WebApp,
    telegram_api: LocalBotApi,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    await _staff("dina", "officer", "dina@dlh.malangkota.go.id", telegram=7101)
    await _staff("budi", "head", "budi@dlh.malangkota.go.id")  # no Telegram: by mail
    await create_user(  # not told: the department can act
        username="eko",
        full_name="Eko",
        password="kata-sandi-rahasia",
        role="verifier",
        email="eko@example.id",
        actor=Actor.system(),
    )
    ani = Person(urgent_web, 5103)
    replies = await ani.says(WIRE)
    code = _code(replies)
    assert "Perangkat daerah yang berwenang sudah diberi tahu saat ini juga." in "\n".join(replies)

    settings = Settings(
        database_url=urgent_web.database_url,
        rate_limit=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=telegram_api.base_url,
        smtp=SmtpServer(host="127.0.0.1", port=mailbox.port, security="plain"),  # type: ignore[attr-defined]
        public_url=PUBLIC_URL,
    )
    async with delivery_channels(settings) as deliverers:
        await deliver_all(deliverers=deliverers)
        await deliver_all(deliverers=deliverers)  # a second pass sends nothing twice

    (alert,) = [call.params["text"] for call in telegram_api.sent(7101, method="sendMessage")]
    assert alert.startswith(f"🚨 MENDESAK — laporan {code}")
    assert WIRE[:60] in alert
    assert f"{PUBLIC_URL}/officer/reports/{code}" in alert
    (mail,) = mailbox.to("budi@dlh.malangkota.go.id")
    assert mail["Subject"] == f"[{code}] MENDESAK: laporan perlu ditangani segera"
    assert WIRE[:60] in plain(mail)
    assert mailbox.to("dina@dlh.malangkota.go.id") == []
    assert mailbox.to("eko@example.id") == []
    assert await User.count() == 3
