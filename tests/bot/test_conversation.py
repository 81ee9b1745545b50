"""The citizen's conversation with the bot, through the webhook of the real web app."""

from __future__ import annotations

import asyncio
import re
import time

from core.citizens.limits import REPORTS_PER_HOUR
from core.citizens.telegram import set_blocked
from core.reports.queue import QueueFilters, department_queue
from core.routing.decision import TriageRouter
from core.staff.actors import Actor
from db.tables import BotConversation, Citizen, Department, Report, ReportAttachment
from tests.bot.conftest import SECRET, Person, WebApp
from tests.bot.local_api import LocalBotApi, callback_update, message_update, photo_sizes
from tests.helpers import FixedRouter

REPORT_TEXT = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali malam hari"
_CODE = re.compile(r"MLG-[A-Z0-9]{6}")


def tracking_code(replies: list[str]) -> str:
    found = _CODE.search("\n".join(replies))
    assert found, replies
    return found.group(0)


async def report_count() -> int:
    return await Report.count()


async def test_a_report_in_indonesian_reaches_the_public_page_and_the_department_queue(
    web: WebApp, ani: Person
) -> None:
    welcome = await ani.says("/start")
    assert "ingatkan" in welcome[0]
    assert ani.keyboard() == [
        "📝 Buat laporan",
        "🔎 Cek status",
        "📋 Laporan saya",
        "📜 Kebijakan kota",
        "❓ Bantuan",
        "🌐 Bahasa",
    ]
    assert "Ceritakan masalahnya" in (await ani.says("📝 Buat laporan"))[0]
    assert "Tambahkan foto atau lokasi" in (await ani.says(REPORT_TEXT))[0]
    assert "📍 Bagikan lokasi" in ani.keyboard()
    assert "Foto ditambahkan (1/5)" in (await ani.sends_photo(file_id="AgACphoto-1"))[0]
    assert "Foto ditambahkan (2/5)" in (await ani.sends_photo(file_id="AgACphoto-2"))[0]
    assert "Lokasi dicatat" in (await ani.shares_location(-7.9666, 112.6326))[0]
    assert "Jl. Kawi No. 10" in (await ani.says("Jl. Kawi No. 10, Klojen"))[0]

    routing, privacy = await ani.says("➡️ Lanjut")
    assert "Dinas Pekerjaan Umum" in routing
    assert "Siapa yang boleh melihat" in privacy
    (summary,) = await ani.presses("Publik")
    assert REPORT_TEXT in summary
    assert "Foto: 2" in summary
    assert "Sifat: Publik" in summary
    sent = await ani.presses("✅ Kirim")
    code = tracking_code(sent)
    assert "tanggapan pertama paling lambat" in sent[0]
    assert ani.keyboard()[0] == "📝 Buat laporan"  # back at the menu

    response = await web.client.get(f"/api/v1/reports/{code}")
    assert response.status_code == 200
    public = response.json()
    assert public["status"] == "open"
    assert public["department"]["code"] == "DPUPRPKP"
    assert public["text"] == REPORT_TEXT
    assert public["address"] == "Jl. Kawi No. 10, Klojen"
    assert public["location"] == {"lat": -7.9666, "lon": 112.6326}
    assert "5001" not in response.text  # the Telegram id stays private

    report = await Report.select().where(Report.tracking_code == code).first()
    assert report["channel"] == "telegram"
    photos = await ReportAttachment.select(ReportAttachment.file_id).where(
        ReportAttachment.report == report["id"]
    )
    assert [row["file_id"] for row in photos] == ["AgACphoto-1", "AgACphoto-2"]
    department = await Department.select().where(Department.code == "DPUPRPKP").first()
    queue = await department_queue(department_id=department["id"], filters=QueueFilters())
    assert code in [item.tracking_code for item in queue.items]


async def test_a_report_in_english_linked_to_a_policy(web: WebApp, ani: Person) -> None:
    await web.restart(router=TriageRouter())
    await ani.says("/start")
    assert "Pilih bahasa / Choose a language" in (await ani.says("🌐 Bahasa"))[0]
    assert (await ani.presses("English")) == ["Language: English."]
    assert ani.keyboard()[0] == "📝 New report"

    # Writing straight away starts a report; no button needed.
    text = "The tarif parkir at Kayutangan is now Rp5.000 per mobil, far too expensive for us"
    started = await ani.says(text)
    assert started[0] == "I am preparing a report from your message."
    assert "Add photos or a location" in started[1]
    routing, offer = await ani.says("➡️ Continue")
    assert "A Diskominfo verifier will choose the right department" in routing
    assert "PERWAL-2024-PARKIR" in offer
    assert "What is your position" in (await ani.presses("Yes, link it"))[0]
    assert "Who may see this report?" in (await ani.presses("Objection"))[0]
    (summary,) = await ani.presses("Anonymous")
    assert "Visibility: Anonymous" in summary
    assert (
        "Tarif parkir tepi jalan umum zona pusat kota (PERWAL-2024-PARKIR) — Objection" in summary
    )
    sent = await ani.presses("✅ Send")
    assert sent[0].startswith("Report sent. Your tracking code: MLG-")
    assert "A verifier will route it by" in sent[0]

    public = (await web.client.get(f"/api/v1/reports/{tracking_code(sent)}")).json()
    assert public["status"] == "triage"
    assert public["policy"]["code"] == "PERWAL-2024-PARKIR"
    assert public["stance"] == "objection"
    citizen = await Citizen.select().where(Citizen.telegram_chat_id == 5001).first()
    assert citizen["language"] == "en"


async def _reach(person: Person, step: str) -> None:
    """Walk `person` to `step` of a report (or of a status check)."""
    if step == "status_code":
        await person.says("🔎 Cek status")
        return
    await person.says("📝 Buat laporan")
    if step == "report_text":
        return
    await person.says(
        "Retribusi harian lapak di Pasar Besar naik dua kali lipat, pedagang kecil berat"
    )
    if step == "report_details":
        return
    await person.says("➡️ Lanjut")  # the market's levy suggests SE-2025-PASAR
    if step == "report_policy":
        return
    await person.presses("Ya, tautkan")
    if step == "report_stance":
        return
    await person.presses("Saran")
    if step == "report_privacy":
        return
    await person.presses("Rahasia")
    assert step == "report_confirm"


STEPS = [
    "report_text",
    "report_details",
    "report_policy",
    "report_stance",
    "report_privacy",
    "report_confirm",
    "status_code",
]


async def test_cancel_at_every_step(web: WebApp, ani: Person) -> None:
    stale_buttons = {
        "report_policy": "Ya, tautkan",
        "report_stance": "Saran",
        "report_privacy": "Rahasia",
        "report_confirm": "✅ Kirim",
    }
    for number, step in enumerate(STEPS):
        await _reach(ani, step)
        conversation = await BotConversation.select(BotConversation.state).first()
        assert conversation["state"] == step
        # Half the steps cancel by command, half by the keyboard's button.
        cancel = "/cancel" if number % 2 else "✖️ Batal"
        assert await ani.says(cancel) == ["Dibatalkan. Tidak ada yang dikirim."], step
        assert ani.keyboard()[0] == "📝 Buat laporan"
        assert await report_count() == 0
        if step in stale_buttons:
            # The old buttons are dead now: pressing one is answered, and changes nothing.
            assert await ani.presses(stale_buttons[step]) == []
            assert ani.last_answer().params["text"] == "Pilihan ini sudah tidak berlaku."
            assert await report_count() == 0
    assert await ani.says("/cancel") == ["Tidak ada yang sedang berjalan."]


async def test_a_pressed_button_is_answered_on_the_webhooks_response(
    web: WebApp, ani: Person
) -> None:
    """Telegram performs the method named in the answer to a webhook request: the button's
    toast costs no call of the bot's own, and the citizen still sees it."""
    await _reach(ani, "report_confirm")
    await ani.says("/cancel")
    calls = len(web.api.calls)
    message, data = web.api.inline_button(ani.chat_id, "✅ Kirim")
    update = callback_update(web.api.next_update_id(), ani.chat_id, message, data)
    assert web.client is not None
    response = await web.client.post(
        "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status_code == 200
    # The stale button's keyboard is taken away by a call; the answer is not one.
    assert [call.method for call in web.api.calls[calls:]] == ["editMessageReplyMarkup"]
    assert response.json() == {
        "method": "answerCallbackQuery",
        "callback_query_id": update["callback_query"]["id"],
        "text": "Pilihan ini sudah tidak berlaku.",
    }
    await web.api.webhook_answered(response)
    assert ani.last_answer().params["text"] == "Pilihan ini sudah tidak berlaku."


async def test_the_confirm_step_has_its_own_cancel_button(web: WebApp, ani: Person) -> None:
    await _reach(ani, "report_confirm")
    assert await ani.presses("✖️ Batal") == ["Dibatalkan. Tidak ada yang dikirim."]
    assert await report_count() == 0


async def test_a_restart_between_steps_loses_nothing(web: WebApp, ani: Person) -> None:
    await ani.says("🌐 Bahasa")
    await ani.presses("English")
    await ani.says("📝 New report")
    await web.restart()
    await ani.says(REPORT_TEXT)
    await ani.sends_photo(file_id="kept-across-restarts")
    await web.restart()
    routing, _ = await ani.says("➡️ Continue")
    assert routing.startswith("This report will go to")  # still English
    await web.restart()
    await ani.presses("Confidential")
    sent = await ani.presses("✅ Send")
    report = await Report.select().where(Report.tracking_code == tracking_code(sent)).first()
    assert report["text"] == REPORT_TEXT
    assert report["confidential"] is True
    assert await ReportAttachment.count() == 1


async def test_two_replicas_behind_one_webhook_share_the_conversation(
    web: WebApp, ani: Person
) -> None:
    other = WebApp(web.database_url, web.api, web.router)
    await other.start()
    try:
        on_other = Person(other, ani.chat_id)
        await ani.says("📝 Buat laporan")
        await on_other.says(REPORT_TEXT)
        # Two photos at the same moment, one to each replica: neither is lost.
        await asyncio.gather(
            web.deliver(
                message_update(web.api.next_update_id(), ani.chat_id, photo=photo_sizes("a"))
            ),
            other.deliver(
                message_update(web.api.next_update_id(), ani.chat_id, photo=photo_sizes("b"))
            ),
        )
        await ani.says("➡️ Lanjut")
        await on_other.presses("Publik")
        code = tracking_code(await ani.presses("✅ Kirim"))
    finally:
        await other.stop()
    report = await Report.select().where(Report.tracking_code == code).first()
    assert report["text"] == REPORT_TEXT
    photos = await ReportAttachment.select(ReportAttachment.file_id)
    assert sorted(row["file_id"] for row in photos) == ["a", "b"]


async def test_two_citizens_interleaving_keep_their_own_reports(
    web: WebApp, ani: Person, budi: Person
) -> None:
    budi_text = "Retribusi kebersihan ikut tagihan air, tapi sampah TPS Jl. Bandung jarang diangkut"
    await ani.says("📝 Buat laporan")
    await budi.says("📝 Buat laporan")
    await budi.says(budi_text)
    await ani.says(REPORT_TEXT)
    await ani.says("➡️ Lanjut")
    await budi.says("➡️ Lanjut")
    await budi.presses("Bukan")  # Budi's text suggests the waste levy's policy; he declines
    await ani.presses("Publik")
    await budi.presses("Anonim")
    ani_code = tracking_code(await ani.presses("✅ Kirim"))
    budi_code = tracking_code(await budi.presses("✅ Kirim"))

    ani_report = await Report.select().where(Report.tracking_code == ani_code).first()
    budi_report = await Report.select().where(Report.tracking_code == budi_code).first()
    assert (ani_report["text"], ani_report["anonymous"]) == (REPORT_TEXT, False)
    assert (budi_report["text"], budi_report["anonymous"], budi_report["policy"]) == (
        budi_text,
        True,
        None,
    )
    assert ani_report["citizen"] != budi_report["citizen"]
    mine = "\n".join(await ani.says("📋 Laporan saya"))
    assert ani_code in mine
    assert budi_code not in mine


async def test_text_that_is_too_short_too_long_or_blank_gets_a_hint(ani: Person) -> None:
    await ani.says("📝 Buat laporan")
    (short,) = await ani.says("rusak")
    assert "minimal 10 karakter" in short
    assert "Contoh:" in short
    (blank,) = await ani.says("     ")
    assert "minimal 10 karakter" in blank
    (long,) = await ani.says("jalan rusak " * 400)
    assert "paling panjang 4000 karakter" in long
    assert (await BotConversation.select(BotConversation.state).first())["state"] == "report_text"
    # A photo without a caption is kept while the bot asks for words.
    (photo,) = await ani.sends_photo()
    assert photo == "Foto diterima (1/5). Sekarang ceritakan masalahnya."
    assert "Tambahkan foto atau lokasi" in (await ani.says(REPORT_TEXT))[0]


UNSUPPORTED = [
    (
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "us1",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        "stiker",
    ),
    ({"voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3}}, "pesan suara"),
    ({"document": {"file_id": "d1", "file_unique_id": "ud1", "file_name": "a.pdf"}}, "berkas"),
    ({"contact": {"phone_number": "+6281234567890", "first_name": "Ani"}}, "kontak"),
    ({"dice": {"emoji": "🎲", "value": 3}}, "dadu"),
]


async def test_unsupported_messages_get_a_friendly_hint(ani: Person) -> None:
    await ani.says("📝 Buat laporan")
    for content, named in UNSUPPORTED:
        (hint,) = await ani.sends(**content)
        assert named in hint
        assert "Kirim teks, foto, atau lokasi" in hint
    assert (await BotConversation.select(BotConversation.state).first())["state"] == "report_text"


async def test_edits_unknown_commands_and_typing_at_a_choice(ani: Person) -> None:
    assert "tidak saya baca ulang" in (await ani.edits("halo, ralat"))[0]
    assert "Cara memakai ingatkan" in (await ani.says("/apaini"))[0]
    await _reach(ani, "report_privacy")
    hint, question = await ani.says("publik saja")
    assert "pilih salah satu tombol" in hint
    assert "Tambahkan ke isi laporan?" in question
    (summary,) = await ani.presses("Publik")
    assert "Periksa laporan Anda" in summary
    assert "publik saja" not in summary  # not added unless asked to


async def test_at_most_five_photos(ani: Person) -> None:
    await ani.says("📝 Buat laporan")
    await ani.says(REPORT_TEXT)
    for number in range(1, 6):
        await ani.sends_photo(file_id=f"p{number}")
    (refused,) = await ani.sends_photo(file_id="p6")
    assert "Cukup 5 foto" in refused
    conversation = await BotConversation.select(BotConversation.data).output(load_json=True).first()
    assert conversation["data"]["draft"]["photos"] == ["p1", "p2", "p3", "p4", "p5"]


async def test_status_by_command_by_menu_and_by_typing_the_code(ani: Person) -> None:
    await ani.says(REPORT_TEXT)
    await ani.says("➡️ Lanjut")
    await ani.presses("Publik")
    code = tracking_code(await ani.presses("✅ Kirim"))

    (by_command,) = await ani.says(f"/status {code.lower()}")
    assert f"Laporan {code}" in by_command
    assert "Status: Diteruskan" in by_command  # the one status name the pages use too
    assert "laporan diterima" in by_command
    await ani.says("🔎 Cek status")
    assert "Itu bukan kode pelacakan" in (await ani.says("kode saya hilang"))[0]
    assert f"Laporan {code}" in (await ani.says(code))[0]
    # Out of the blue, a code is a status check, and an unknown one is said so.
    assert f"Laporan {code}" in (await ani.says(code.replace("-", " ")))[0]
    assert "tidak ditemukan" in (await ani.says("MLG-AAAAAA"))[0]


async def test_policies_and_help(ani: Person) -> None:
    (policies,) = await ani.says("📜 Kebijakan kota")
    assert "PERWAL-2024-PARKIR" in policies
    (help_text,) = await ani.says("/help")
    assert "/cancel" in help_text


async def test_duplicate_update_is_answered_once(web: WebApp, ani: Person) -> None:
    update = message_update(web.api.next_update_id(), ani.chat_id, text="/start")
    await web.deliver(update)
    await web.deliver(update)  # Telegram retried the webhook
    assert len(web.api.sent(ani.chat_id)) == 1


async def test_groups_channels_and_updates_without_a_chat(
    web: WebApp, telegram_api: LocalBotApi
) -> None:
    group = -100123
    await web.deliver(
        message_update(telegram_api.next_update_id(), group, chat_kind="supergroup", text="halo")
    )
    assert telegram_api.sent(group) == []  # chatter in a group is none of the bot's business
    await web.deliver(
        message_update(
            telegram_api.next_update_id(), group, chat_kind="supergroup", sender=5001, text="/start"
        )
    )
    (pointer,) = telegram_api.sent(group)
    assert "chat pribadi" in pointer.params["text"]
    assert "https://t.me/ingatkan_local_bot" in pointer.params["text"]
    await web.deliver(
        message_update(telegram_api.next_update_id(), -100999, chat_kind="channel", text="/start")
    )
    inline_query = {
        "update_id": telegram_api.next_update_id(),
        "inline_query": {
            "id": "1",
            "from": {"id": 5001, "is_bot": False, "first_name": "Ani"},
            "query": "lampu",
            "offset": "",
        },
    }
    await web.deliver(inline_query)
    assert len(telegram_api.sent()) == 1
    assert await Citizen.count() == 0  # nobody became a citizen by being in a group


async def test_the_webhook_checks_the_secret_and_the_body(web: WebApp) -> None:
    update = message_update(web.api.next_update_id(), 5001, text="/start")
    assert (await web.post_update(update, secret=None)).status_code == 403
    assert (await web.post_update(update, secret="wrong")).status_code == 403
    assert web.api.sent() == []
    assert web.client is not None
    headers = {"X-Telegram-Bot-Api-Secret-Token": "local-webhook-secret_123"}
    for body in (b"{not json", b"[1, 2]", b'{"update_id": "x"}', b'{"message": {}}'):
        response = await web.client.post(
            "/telegram/webhook",
            content=body,
            headers={**headers, "content-type": "application/json"},
        )
        assert response.status_code == 400, body
    assert web.api.sent() == []


async def test_too_many_reports_and_blocked_citizens_are_refused(web: WebApp, ani: Person) -> None:
    codes = []
    for number in range(REPORTS_PER_HOUR):
        await ani.says(f"{REPORT_TEXT} (laporan ke-{number + 1})")
        await ani.says("➡️ Lanjut")
        await ani.presses("Publik")
        codes.append(tracking_code(await ani.presses("✅ Kirim")))
    (refused,) = await ani.says("📝 Buat laporan")
    assert f"sudah mengirim {REPORTS_PER_HOUR} laporan" in refused
    assert await report_count() == REPORTS_PER_HOUR

    await set_blocked(tracking_code=codes[0], blocked=True, actor=Actor.system())
    (blocked,) = await ani.says(REPORT_TEXT)
    assert "akun Anda tidak dapat mengirim laporan baru" in blocked
    # Looking things up still works for a blocked citizen.
    assert codes[0] in (await ani.says(f"/status {codes[0]}"))[0]


async def _start_from_app(person: Person, language_code: str) -> list[str]:
    """/start from a Telegram app set to `language_code`."""
    update = message_update(
        person.api.next_update_id(), person.chat_id, language_code=language_code, text="/start"
    )
    return await person.sends_update(update)


async def test_a_new_citizen_is_greeted_in_the_language_of_their_telegram_app(
    ani: Person, budi: Person
) -> None:
    (welcome,) = await _start_from_app(ani, "en-GB")
    assert welcome.startswith("Hello!")
    assert ani.keyboard()[0] == "📝 New report"
    # Any other language reads Indonesian, the city's language.
    assert (await _start_from_app(budi, "de"))[0].startswith("Halo!")
    # A language chosen in the bot wins over the app's from then on.
    await ani.says("🌐 Language")
    await ani.presses("Bahasa Indonesia")
    assert (await _start_from_app(ani, "en"))[0].startswith("Halo!")


async def test_start_in_the_middle_of_a_report_says_the_draft_is_dropped(ani: Person) -> None:
    await _reach(ani, "report_details")
    dropped, welcome = await ani.says("/start")
    assert dropped == "Draf laporan sebelumnya saya batalkan."
    assert "ingatkan" in welcome
    assert ani.keyboard()[0] == "📝 Buat laporan"
    assert (await BotConversation.select(BotConversation.state).first())["state"] == "idle"
    # Outside a report, /start only greets.
    assert len(await ani.says("/start")) == 1


async def test_emoji_alone_is_not_a_report_and_a_word_is_not_a_tracking_code(ani: Person) -> None:
    started, refused = await ani.says("😡😡😡🚧🚧🚧💡💡💡!!!???🙏🙏")
    assert started == "Saya siapkan laporan dari pesan Anda."
    assert "dengan kata-kata (minimal 5 huruf)" in refused
    assert await report_count() == 0
    await ani.says("/cancel")
    # Six letters of the codes' alphabet are still a word, answered as one.
    (hint,) = await ani.says("mampet")
    assert "minimal 10 karakter" in hint
    assert "tidak ditemukan" not in hint
    # A code keeps being recognised, with its prefix or with a digit.
    assert "tidak ditemukan" in (await ani.says("mlg mampet"))[0]
    assert "tidak ditemukan" in (await ani.says("7K3Q9X"))[0]


async def test_more_words_while_the_bot_waits_for_details_are_added_not_dropped(
    web: WebApp, ani: Person
) -> None:
    await ani.says("📝 Buat laporan")
    await ani.says(REPORT_TEXT)
    (address,) = await ani.says("Jl. Kawi No. 10, Klojen")
    assert "Alamat dicatat: Jl. Kawi No. 10, Klojen" in address
    (added,) = await ani.says("Sudah dua kali lapor ke kelurahan, belum ada tindakan")
    assert added == "Saya tambahkan ke isi laporan. Tekan «Lanjut» bila sudah."
    assert "Lokasi dicatat" in (await ani.shares_location(-7.9666, 112.6326))[0]
    # Too long to be an address: more of the story, too.
    detail = "Kabelnya terlihat putus di tiang ketiga dari perempatan. " * 6
    assert "Saya tambahkan" in (await ani.says(detail))[0]
    await ani.says("➡️ Lanjut")
    (summary,) = await ani.presses("Publik")
    assert "Sudah dua kali lapor ke kelurahan" in summary
    code = tracking_code(await ani.presses("✅ Kirim"))
    public = (await web.client.get(f"/api/v1/reports/{code}")).json()
    assert public["address"] == "Jl. Kawi No. 10, Klojen"
    assert public["text"] == "\n".join(
        [REPORT_TEXT, "Sudah dua kali lapor ke kelurahan, belum ada tindakan", detail.strip()]
    )


async def test_a_message_telegram_split_in_two_is_refused_once_and_whole(
    web: WebApp, ani: Person
) -> None:
    # Telegram sends a message over 4,096 characters as parts, at the same moment.
    whole = "Lampu jalan di Jl. Kawi mati dan kabelnya menjuntai ke trotoar. " * 70
    first, rest = whole[:4096], whole[4096:]
    now = int(time.time())
    parts = [
        message_update(web.api.next_update_id(), ani.chat_id, text=part, date=now)
        for part in (first, rest)
    ]
    (refused,) = await ani.sends_update(parts[0])
    assert "paling panjang 4000 karakter" in refused
    assert "tidak ada bagian yang saya simpan" in refused
    assert await ani.sends_update(parts[1]) == []  # the rest is not a report of its own
    conversation = await BotConversation.select().output(load_json=True).first()
    assert conversation["state"] == "idle"
    assert "text" not in conversation["data"]["draft"]
    # Later, a message is read as usual.
    later = message_update(web.api.next_update_id(), ani.chat_id, text=REPORT_TEXT, date=now + 30)
    assert "Tambahkan foto atau lokasi" in (await ani.sends_update(later))[-1]
    await ani.says("➡️ Lanjut")
    await ani.presses("Publik")
    code = tracking_code(await ani.presses("✅ Kirim"))
    assert (await web.client.get(f"/api/v1/reports/{code}")).json()["text"] == REPORT_TEXT


async def test_an_ordinary_complaint_is_offered_no_policy(web: WebApp, ani: Person) -> None:
    # It shares a place with the market's policy, and nothing else.
    await ani.says("Trotoar di depan Pasar Besar rusak parah dan berlubang")
    assert "Siapa yang boleh melihat" in (await ani.says("➡️ Lanjut"))[-1]
    await ani.presses("Publik")
    code = tracking_code(await ani.presses("✅ Kirim"))
    report = await Report.select(Report.policy, Report.stance).where(Report.tracking_code == code)
    assert report == [{"policy": None, "stance": None}]


async def test_a_department_is_named_in_full_once_then_by_its_short_name(
    web: WebApp, ani: Person
) -> None:
    await web.restart(router=FixedRouter("DISHUB"))
    await ani.says("Lampu lalu lintas di perempatan Jl. Kawi mati sejak tadi, macet total")
    routing, _ = await ani.says("➡️ Lanjut")
    assert routing == "Laporan ini akan diteruskan ke Dinas Perhubungan (Dishub)."
    (summary,) = await ani.presses("Publik")
    assert "Tujuan: Dishub\n" in summary
    (sent,) = await ani.presses("✅ Kirim")
    assert "Diteruskan ke Dishub;" in sent
    assert "perangkat daerah" not in "\n".join([routing, summary, sent])
    (status,) = await ani.says(f"/status {tracking_code([sent])}")
    assert "Dinas: Dinas Perhubungan (Dishub)" in status


async def test_words_typed_at_a_choice_are_added_when_the_citizen_says_so(
    web: WebApp, ani: Person
) -> None:
    await _reach(ani, "report_confirm")
    hint, question = await ani.says("Oh ya, lapaknya juga sering kebanjiran")
    assert "pilih salah satu tombol" in hint
    assert question == "Pesan Anda belum masuk laporan. Tambahkan ke isi laporan?"
    added, summary = await ani.presses("➕ Tambahkan ke laporan")
    assert added == "Saya tambahkan ke isi laporan."
    assert "lapaknya juga sering kebanjiran" in summary
    code = tracking_code(await ani.presses("✅ Kirim"))
    report = await Report.select(Report.text).where(Report.tracking_code == code).first()
    assert report["text"].endswith("\nOh ya, lapaknya juga sering kebanjiran")
