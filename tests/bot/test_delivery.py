"""Notifications from the outbox to Telegram: one message per change, to the right chat,
delivered once through 429s, 5xx and blocked bots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.delivery import Deliverer, telegram_deliverers
from core import clock
from core.routing.decision import TriageRouter
from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import OutboxMessage, Report, ReportEvent, User
from scheduler.delivery import deliver_all
from tests.bot.conftest import Person, WebApp, bot_settings
from tests.bot.local_api import LocalBotApi, callback_update, chat
from tests.helpers import perform

STREET_LIGHT = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali malam hari"
POTHOLE = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, sudah dua motor jatuh"


@pytest.fixture
async def deliverers(web: WebApp, telegram_api: LocalBotApi) -> AsyncIterator[dict[str, Deliverer]]:
    async with telegram_deliverers(bot_settings(web.database_url, telegram_api)) as channels:
        yield channels


def texts(api: LocalBotApi, chat_id: int, since: int = 0) -> list[str]:
    return [call.params["text"] for call in api.sent(chat_id, method="sendMessage")[since:]]


async def test_each_change_sends_exactly_one_message_to_the_right_chat(
    web: WebApp, ani: Person, budi: Person, deliverers: dict[str, Deliverer]
) -> None:
    await web.restart(router=TriageRouter())
    await budi.says("/start")
    code = await ani.reports(STREET_LIGHT)
    api = web.api
    budi_before = len(api.sent(budi.chat_id))
    before = len(texts(api, ani.chat_id))
    stats = await deliver_all(deliverers=deliverers)
    # The conversation already confirmed the submission; the outbox does not repeat it.
    assert (stats.sent, stats.skipped) == (0, 1)
    assert len(texts(api, ani.chat_id)) == before

    expected = {
        "route": "diteruskan ke Dinas Pekerjaan Umum",
        # Named in full where the report is sent to it, by its short name after.
        "reroute": "dialihkan ke Dinas Lingkungan Hidup (DLH)",
        "acknowledge": "sedang ditangani oleh DLH.",
        "respond": "Petugas menuju lokasi besok pagi",
        "mark_field_work": "memerlukan pekerjaan lapangan",
        "resolve": "dinyatakan selesai oleh DLH.",
    }
    for action, fragment in expected.items():
        await perform(action, code)
        before = len(texts(api, ani.chat_id))
        await deliver_all(deliverers=deliverers)
        await deliver_all(deliverers=deliverers)  # a second run finds nothing left to send
        new = texts(api, ani.chat_id, since=before)
        assert len(new) == 1, (action, new)
        assert fragment in new[0], (action, new[0])
        assert code in new[0]
    assert len(api.sent(budi.chat_id)) == budi_before

    resolved = api.sent(ani.chat_id)[-1].params
    labels = [b["text"] for row in resolved["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐", "Belum selesai"]
    assert "Lubang sudah ditambal" in resolved["text"]


async def test_a_rating_closes_the_report_and_only_its_owner_may_rate(
    web: WebApp, ani: Person, budi: Person, deliverers: dict[str, Deliverer]
) -> None:
    code = await ani.reports(STREET_LIGHT)
    await perform("acknowledge", code)
    await perform("resolve", code)
    await deliver_all(deliverers=deliverers)

    # Budi cannot rate Ani's report, even with the button's data under a message of his own.
    message, data = web.api.inline_button(ani.chat_id, "5 ⭐")
    in_his_chat = {**message, "chat": chat(budi.chat_id)}
    foreign = callback_update(web.api.next_update_id(), budi.chat_id, in_his_chat, data)
    assert "tidak dapat Anda ubah" in (await budi.sends_update(foreign))[0]

    (thanks,) = await ani.presses("5 ⭐")
    assert f"Penilaian 5/5 untuk laporan {code}" in thanks
    report = await Report.select().where(Report.tracking_code == code).first()
    assert (report["status"], report["rating"]) == ("closed", 5)
    with pytest.raises(LookupError):  # the buttons are gone from the message
        web.api.inline_button(ani.chat_id, "4 ⭐")
    before = len(web.api.sent(ani.chat_id))
    await deliver_all(deliverers=deliverers)
    assert len(web.api.sent(ani.chat_id)) == before  # no "closed" message for her own act


async def test_not_fixed_reopens_the_report_with_the_citizens_reason(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    code = await ani.reports(STREET_LIGHT)
    await perform("acknowledge", code)
    await perform("resolve", code)
    await deliver_all(deliverers=deliverers)

    (question,) = await ani.presses("Belum selesai")
    assert f"Apa yang belum selesai pada laporan {code}" in question
    assert "dibuka kembali" in (await ani.says("Lampunya masih mati tadi malam"))[0]
    report = await Report.select().where(Report.tracking_code == code).first()
    assert (report["status"], report["reopen_count"]) == ("in_progress", 1)
    last = await ReportEvent.select().order_by(ReportEvent.id, ascending=False).first()
    assert (last["kind"], last["public_note"]) == ("reopened", "Lampunya masih mati tadi malam")


async def test_a_reopen_reason_has_the_same_bounds_here_as_in_the_api_and_on_the_page(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    """Up to core.reports.lifecycle.NOTE_MAX (4000) characters: 3000 are taken whole."""
    code = await ani.reports(STREET_LIGHT)
    await perform("acknowledge", code)
    await perform("resolve", code)
    await deliver_all(deliverers=deliverers)
    await ani.presses("Belum selesai")
    reason = ("Lampunya masih mati, jalan gelap sekali tiap malam. " * 70)[:3000].strip()
    assert "dibuka kembali" in (await ani.says(reason))[0]
    last = await ReportEvent.select().order_by(ReportEvent.id, ascending=False).first()
    assert (last["kind"], last["public_note"]) == ("reopened", reason)


async def test_rejected_and_referred_messages_carry_the_reason(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    rejected = await ani.reports(STREET_LIGHT)
    referred = await ani.reports(POTHOLE)
    await perform("reject", rejected)
    await perform("refer", referred)
    before = len(texts(web.api, ani.chat_id))
    await deliver_all(deliverers=deliverers)
    new = texts(web.api, ani.chat_id, since=before)
    assert len(new) == 2
    assert any(rejected in text and "Alasan: Laporan ganda" in text for text in new)
    assert any(referred in text and "Silakan menghubungi: Jalan provinsi" in text for text in new)


async def test_flood_control_then_success_delivers_once_at_the_time_telegram_asked(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    code = await ani.reports(STREET_LIGHT)
    await deliver_all(deliverers=deliverers)
    await perform("acknowledge", code)
    web.api.fail("sendMessage", status=429, retry_after=7)
    before = len(texts(web.api, ani.chat_id))

    stats = await deliver_all(deliverers=deliverers)
    assert (stats.retried, stats.sent) == (1, 0)
    row = await OutboxMessage.select().where(OutboxMessage.template == "acknowledged").first()
    assert row["status"] == "pending"
    assert "flood control" in row["last_error"]
    wait = (row["next_attempt_at"] - clock.now()).total_seconds()
    assert 5 < wait <= 7

    assert (await deliver_all(deliverers=deliverers)).claimed == 0  # not before it is due
    with clock.frozen_at(clock.now() + timedelta(seconds=8)):
        assert (await deliver_all(deliverers=deliverers)).sent == 1
    new = texts(web.api, ani.chat_id, since=before)
    assert len(new) == 1
    assert "sedang ditangani" in new[0]
    assert (
        len(web.api.attempts("sendMessage", ani.chat_id))
        - len(web.api.sent(ani.chat_id, method="sendMessage"))
        == 1
    )  # one refused attempt, one delivery


async def test_a_bot_blocked_by_the_citizen_fails_once_without_retries(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    code = await ani.reports(STREET_LIGHT)
    await deliver_all(deliverers=deliverers)
    web.api.block(ani.chat_id)
    await perform("acknowledge", code)
    await perform("respond", code)
    attempts = len(web.api.attempts("sendMessage", ani.chat_id))

    stats = await deliver_all(deliverers=deliverers)
    assert (stats.failed, stats.retried) == (2, 0)
    for hours in (1, 5, 48):
        with clock.frozen_at(clock.now() + timedelta(hours=hours)):
            assert (await deliver_all(deliverers=deliverers)).claimed == 0
    assert len(web.api.attempts("sendMessage", ani.chat_id)) == attempts + 2
    rows = await OutboxMessage.select().where(OutboxMessage.channel == "citizen")
    failed = [row for row in rows if row["status"] == "failed"]
    assert len(failed) == 2
    assert all("blocked by the user" in row["last_error"] for row in failed)


async def test_server_errors_are_retried_with_backoff(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    code = await ani.reports(STREET_LIGHT)
    await deliver_all(deliverers=deliverers)
    await perform("acknowledge", code)
    web.api.fail("sendMessage", status=502, times=2)
    before = len(texts(web.api, ani.chat_id))

    assert (await deliver_all(deliverers=deliverers)).retried == 1
    with clock.frozen_at(clock.now() + timedelta(seconds=31)):
        assert (await deliver_all(deliverers=deliverers)).retried == 1
    with clock.frozen_at(clock.now() + timedelta(minutes=5)):
        assert (await deliver_all(deliverers=deliverers)).sent == 1
    assert len(texts(web.api, ani.chat_id, since=before)) == 1


async def _officer(username: str, role: str, department: str, chat_id: int | None) -> None:
    user = await create_user(
        username=username,
        full_name=username,
        password="kata-sandi-panjang",
        role=role,
        department_code=department,
        actor=Actor.system(),
    )
    await User.update({User.telegram_chat_id: chat_id}).where(User.id == user.id)


async def test_the_departments_officers_get_new_reports_with_their_photos(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    await _officer("petugas.pu", "officer", "DPUPRPKP", 7001)
    await _officer("kepala.pu", "head", "DPUPRPKP", 7002)
    await _officer("tanpa.telegram", "officer", "DPUPRPKP", None)
    await _officer("petugas.dlh", "officer", "DLH", 7003)
    web.api.block(7002)

    await ani.says(STREET_LIGHT)
    await ani.sends_photo(file_id="AgAC-lampu-1")
    await ani.sends_photo(file_id="AgAC-lampu-2")
    await ani.says("➡️ Lanjut")
    await ani.presses("Rahasia")
    await ani.presses("✅ Kirim")

    stats = await deliver_all(deliverers=deliverers)
    assert stats.by_channel == {"department": 1}  # sent, though the head blocked the bot
    (alert,) = texts(web.api, 7001)
    assert alert.startswith("Laporan baru MLG-")
    assert STREET_LIGHT in alert  # officers read even a confidential report
    photos = web.api.sent(7001, method="sendPhoto")
    assert [call.params["photo"] for call in photos] == ["AgAC-lampu-1", "AgAC-lampu-2"]
    assert web.api.sent(7003) == []
    assert len(web.api.attempts("sendMessage", 7002)) == 1

    with clock.frozen_at(clock.now() + timedelta(hours=1)):
        await deliver_all(deliverers=deliverers)
    assert len(web.api.sent(7001)) == 3  # nothing twice


async def test_a_department_without_officers_on_telegram_is_skipped(
    web: WebApp, ani: Person, deliverers: dict[str, Deliverer]
) -> None:
    await ani.reports(STREET_LIGHT)
    stats = await deliver_all(deliverers=deliverers)
    assert stats.skipped == 2  # the citizen's confirmation and the department's alert
    rows = await OutboxMessage.select(OutboxMessage.channel, OutboxMessage.last_error)
    assert {row["channel"]: row["last_error"] for row in rows} == {
        "citizen": "confirmed in the conversation",
        "department": "no department staff with a Telegram chat",
    }
