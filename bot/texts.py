"""Everything the bot says, Indonesian first and English second, in one place.

`say(key, language, **values)` picks the language and fills the blanks. Button labels are
here too, because the bot recognises a pressed menu button by its label in either language.
"""

from __future__ import annotations

from datetime import date, datetime

from config import settings
from core.reports.intake import MIN_TEXT
from core.reports.lifecycle import NOTE_MIN

LANGUAGES = ("id", "en")

_TEXTS: dict[str, tuple[str, str]] = {
    # --- welcome, help, menu -------------------------------------------------------------
    "welcome": (
        "Halo! Saya ingatkan, layanan laporan warga Kota Malang.\n\n"
        "Ceritakan masalah layanan kota, atau kebijakan yang menurut Anda keliru. Saya "
        "teruskan ke perangkat daerah yang tepat dan memberi kabar sampai selesai.\n\n"
        "Pilih menu di bawah, atau langsung tulis laporan Anda.",
        "Hello! I am ingatkan, the citizen report service of Kota Malang.\n\n"
        "Tell me about a problem with a city service, or a policy you think is wrong. I pass "
        "it to the right department and keep you posted until it is done.\n\n"
        "Choose from the menu below, or just write your report.",
    ),
    "help": (
        "Cara memakai ingatkan:\n"
        "• Buat laporan — ceritakan masalahnya, tambahkan foto dan lokasi, lalu kirim. "
        "Anda mendapat kode pelacakan.\n"
        "• Cek status — ketik kode pelacakan, atau /status MLG-7K3Q9X.\n"
        "• Laporan saya — laporan yang pernah Anda kirim.\n"
        "• Kebijakan kota — kebijakan yang dapat Anda tanggapi.\n"
        "• Bahasa — Bahasa Indonesia atau English.\n"
        "/cancel membatalkan langkah yang sedang berjalan, kapan saja.\n\n"
        "Kami memberi kabar di sini setiap ada perkembangan laporan Anda.\n"
        "Petugas perangkat daerah: /tautkan KODE menautkan obrolan ini ke akun Anda.",
        "How to use ingatkan:\n"
        "• New report — describe the problem, add photos and a location, then send. You get "
        "a tracking code.\n"
        "• Check status — type a tracking code, or /status MLG-7K3Q9X.\n"
        "• My reports — the reports you have sent.\n"
        "• City policies — policies you can respond to.\n"
        "• Language — Bahasa Indonesia or English.\n"
        "/cancel stops whatever is under way, at any time.\n\n"
        "We message you here whenever your report moves on.\n"
        "Department staff: /link CODE links this chat to your staff account.",
    ),
    "idle_hint": (
        f"Tulis laporan Anda (minimal {MIN_TEXT} karakter), ketik kode pelacakan, atau pilih menu.",
        f"Write your report (at least {MIN_TEXT} characters), type a tracking code, or choose from "
        "the menu.",
    ),
    "cancelled": ("Dibatalkan. Tidak ada yang dikirim.", "Cancelled. Nothing was sent."),
    "nothing_to_cancel": ("Tidak ada yang sedang berjalan.", "Nothing is under way."),
    # --- staff linking their chat (core/staff/telegram_link.py) ---------------------------------
    "link_usage": (
        "Untuk petugas: buat kode tautan di halaman Akun saya, lalu kirim /tautkan KODE.",
        "For staff: create a link code on the My account page, then send /link CODE.",
    ),
    "linked": (
        "Obrolan ini tertaut dengan akun petugas {name}. Pemberitahuan untuk perangkat daerah "
        "Anda akan dikirim ke sini.",
        "This chat is linked to the staff account of {name}. Notices for your department will "
        "be sent here.",
    ),
    "link_refused": (
        "Kode tautan tidak dikenal, sudah dipakai, atau kedaluwarsa. Buat kode baru di halaman "
        "Akun saya.",
        "That link code is unknown, used or expired. Create a new one on the My account page.",
    ),
    "draft_dropped": (
        "Draf laporan sebelumnya saya batalkan.",
        "I have dropped the report you were writing.",
    ),
    "error": (
        "Maaf, terjadi gangguan di pihak kami. Coba lagi sebentar lagi.",
        "Sorry, something went wrong on our side. Please try again in a moment.",
    ),
    # --- making a report -------------------------------------------------------------
    "ask_text": (
        "Ceritakan masalahnya dengan kata-kata Anda sendiri: apa, di mana, sejak kapan. "
        "Boleh juga mengirim foto dengan keterangan.",
        "Describe the problem in your own words: what, where, since when. You can also send "
        "a photo with a caption.",
    ),
    "from_message": (
        "Saya siapkan laporan dari pesan Anda.",
        "I am preparing a report from your message.",
    ),
    "photo_needs_text": (
        "Foto diterima ({count}/{limit}). Sekarang ceritakan masalahnya.",
        "Photo received ({count}/{limit}). Now describe the problem.",
    ),
    "location_needs_text": (
        "Lokasi diterima. Sekarang ceritakan masalahnya.",
        "Location received. Now describe the problem.",
    ),
    "text_hint": (
        "{problem}\nContoh: «Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari.»",
        "{problem}\nFor example: “The street light on Jl. Kawi by the school has been out for "
        "three days.”",
    ),
    "ask_details": (
        "Dicatat. Tambahkan foto atau lokasi bila ada: tekan «Bagikan lokasi», atau ketik "
        "alamatnya. Tekan «Lanjut» bila sudah.",
        "Noted. Add photos or a location if you have them: press “Share location”, or type "
        "the address. Press “Continue” when you are done.",
    ),
    "photo_added": (
        "Foto ditambahkan ({count}/{limit}). Tekan «Lanjut» bila sudah.",
        "Photo added ({count}/{limit}). Press “Continue” when you are done.",
    ),
    "too_many_photos": (
        "Cukup {limit} foto per laporan; foto ini tidak saya tambahkan.",
        "{limit} photos per report is the limit; I did not add this one.",
    ),
    "location_added": (
        "Lokasi dicatat. Tekan «Lanjut» bila sudah.",
        "Location noted. Press “Continue” when you are done.",
    ),
    "address_added": (
        "Alamat dicatat: {address}\nTekan «Lanjut» bila sudah.",
        "Address noted: {address}\nPress “Continue” when you are done.",
    ),
    "address_invalid": (
        "Alamat paling panjang {limit} karakter. Ketik lebih singkat, atau tekan «Lanjut».",
        "An address may be at most {limit} characters. Type a shorter one, or press “Continue”.",
    ),
    "text_too_long_with_caption": (
        "Keterangan foto tidak muat: laporan paling panjang {limit} karakter. Fotonya tetap "
        "saya simpan.",
        "The caption does not fit: a report is at most {limit} characters. I kept the photo.",
    ),
    "routing_department": (
        "Laporan ini akan diteruskan ke {department}.",
        "This report will go to {department}.",
    ),
    "routing_triage": (
        "Verifikator Diskominfo akan memilih perangkat daerah yang tepat untuk laporan ini.",
        "A Diskominfo verifier will choose the right department for this report.",
    ),
    "routing_urgent": (
        "Laporan ini tampak mendesak: petugas akan segera diberi tahu.",
        "This looks urgent: officers will be alerted at once.",
    ),
    "ask_policy": (
        "Laporan Anda tampaknya terkait kebijakan kota «{title}» ({code}). Tautkan laporan "
        "ke kebijakan ini? Bila banyak warga keberatan, kebijakan ditinjau ulang.",
        "Your report seems to be about the city policy “{title}” ({code}). Link your report "
        "to it? When many citizens object, a policy is reviewed.",
    ),
    "ask_stance": (
        "Bagaimana sikap Anda terhadap kebijakan ini?",
        "What is your position on this policy?",
    ),
    "ask_privacy": (
        "Siapa yang boleh melihat laporan ini?\n"
        "• Publik — isi dan lokasi laporan tampil di halaman publik. Identitas Anda tidak "
        "pernah ditampilkan.\n"
        "• Anonim — isi tampil, alamat tidak, lokasi hanya kira-kira (±100 m), dan petugas "
        "tidak melihat siapa pelapornya.\n"
        "• Rahasia — hanya petugas yang menangani yang dapat membaca isinya.",
        "Who may see this report?\n"
        "• Public — the text and place appear on the public page. Your identity is never "
        "shown.\n"
        "• Anonymous — the text appears, the address does not, the place only roughly "
        "(±100 m), and officers do not see who sent it.\n"
        "• Confidential — only the officers handling it can read it.",
    ),
    "choose_button": (
        "Silakan pilih salah satu tombol di atas, atau /cancel untuk membatalkan.",
        "Please choose one of the buttons above, or /cancel to stop.",
    ),
    "summary": (
        "Periksa laporan Anda:\n\n{text}\n\nFoto: {photos}\nLokasi: {place}\nTujuan: {routing}"
        "\nKebijakan: {policy}\nSifat: {privacy}\n\nKirim sekarang?",
        "Please check your report:\n\n{text}\n\nPhotos: {photos}\nPlace: {place}\n"
        "Goes to: {routing}\nPolicy: {policy}\nVisibility: {privacy}\n\nSend it now?",
    ),
    "summary_none": ("-", "-"),
    "summary_triage": ("verifikator", "a verifier"),
    "summary_location": ("titik di peta", "a point on the map"),
    "submitted": (
        "Laporan terkirim. Kode pelacakan Anda: {code}\n{next}\n\nSimpan kode ini. Kami kabari "
        "di sini setiap ada perkembangan; cek kapan saja dengan /status {code}",
        "Report sent. Your tracking code: {code}\n{next}\n\nKeep this code. We will message "
        "you here as things move on; check any time with /status {code}",
    ),
    "next_department": (
        "Diteruskan ke {department}; tanggapan pertama paling lambat {due}.",
        "Sent to {department}; first response due by {due}.",
    ),
    "next_triage": (
        "Verifikator akan meneruskannya paling lambat {due}.",
        "A verifier will route it by {due}.",
    ),
    "submit_failed": (
        "{problem}\nLaporan belum terkirim.",
        "{problem}\nThe report was not sent.",
    ),
    # --- unsupported input -----------------------------------------------------------
    "unsupported": (
        "Maaf, saya belum bisa membaca {kind}. Kirim teks, foto, atau lokasi.",
        "Sorry, I cannot read {kind} yet. Please send text, a photo or a location.",
    ),
    "edited": (
        "Pesan yang diubah tidak saya baca ulang. Kirim pesan baru bila ada tambahan.",
        "I do not re-read edited messages. Send a new message if you want to add something.",
    ),
    "private_only": (
        "Laporan hanya dapat dibuat lewat chat pribadi dengan saya: https://t.me/{username}\n"
        "Reports can only be made in a private chat with me.",
        "Laporan hanya dapat dibuat lewat chat pribadi dengan saya: https://t.me/{username}\n"
        "Reports can only be made in a private chat with me.",
    ),
    "stale_choice": ("Pilihan ini sudah tidak berlaku.", "This choice is no longer open."),
    # --- status, my reports, policies ------------------------------------------------
    "ask_code": (
        "Ketik kode pelacakan laporan, misalnya MLG-7K3Q9X.",
        "Type the report's tracking code, for example MLG-7K3Q9X.",
    ),
    "bad_code": (
        "Itu bukan kode pelacakan. Kode berbentuk MLG-7K3Q9X.",
        "That is not a tracking code. Codes look like MLG-7K3Q9X.",
    ),
    "status": (
        "Laporan {code}\nStatus: {status}\nPerangkat daerah: {department}\nTenggat: {due}"
        "\n\nRiwayat:\n{timeline}",
        "Report {code}\nStatus: {status}\nDepartment: {department}\nDue: {due}"
        "\n\nTimeline:\n{timeline}",
    ),
    "my_reports_empty": (
        "Anda belum punya laporan. Tekan «Buat laporan» untuk memulai.",
        "You have no reports yet. Press “New report” to start.",
    ),
    "my_reports": ("Laporan Anda, terbaru dulu:\n{lines}", "Your reports, newest first:\n{lines}"),
    "policies": (
        "Kebijakan kota yang dapat Anda tanggapi:\n{lines}\n\nUntuk menanggapi, buat laporan "
        "dan sebut kebijakannya; saya akan menawarkan tautannya.",
        "City policies you can respond to:\n{lines}\n\nTo respond, make a report that names "
        "the policy; I will offer to link it.",
    ),
    "policies_empty": ("Belum ada kebijakan yang terbuka.", "No policies are open yet."),
    # --- language ----------------------------------------------------------------------
    "language_prompt": ("Pilih bahasa / Choose a language:", "Pilih bahasa / Choose a language:"),
    "language_set": ("Bahasa: Bahasa Indonesia.", "Language: English."),
    # --- rating and reopening ----------------------------------------------------------
    "rated": (
        "Terima kasih! Penilaian {rating}/5 untuk laporan {code} tercatat, dan laporan ditutup.",
        "Thank you! Your rating of {rating}/5 for report {code} is recorded and the report "
        "is closed.",
    ),
    "ask_reopen_reason": (
        "Apa yang belum selesai pada laporan {code}? Ceritakan singkat.",
        "What is not fixed yet in report {code}? Tell us briefly.",
    ),
    "reopen_reason_short": (
        f"Ceritakan sedikit lebih banyak (minimal {NOTE_MIN} karakter), atau /cancel.",
        f"Please say a little more (at least {NOTE_MIN} characters), or /cancel.",
    ),
    "reopened": (
        "Laporan {code} dibuka kembali dan dikembalikan ke petugas. Kami kabari lagi.",
        "Report {code} is reopened and back with the officers. We will keep you posted.",
    ),
    "not_yours": (
        "Laporan {code} tidak dapat Anda ubah.",
        "You cannot change report {code}.",
    ),
    "already_moved": (
        "Laporan {code} sudah tidak menunggu konfirmasi (status: {status}).",
        "Report {code} is no longer waiting for your confirmation (status: {status}).",
    ),
    # --- notifications to the citizen ------------------------------------------------
    "n_routed": (
        "Laporan {code} diteruskan ke {department}. Tanggapan pertama paling lambat {due}.",
        "Report {code} has gone to {department}. First response due by {due}.",
    ),
    "n_rerouted": (
        "Laporan {code} dialihkan ke {department}, yang lebih berwenang. Tanggapan pertama "
        "paling lambat {due}.",
        "Report {code} has moved to {department}, which is responsible for it. First "
        "response due by {due}.",
    ),
    "n_acknowledged": (
        "Laporan {code} sedang ditangani oleh {department}.{note}",
        "Report {code} is being handled by {department}.{note}",
    ),
    "n_responded": (
        "Tanggapan {department} untuk laporan {code}:{note}",
        "{department} replied on report {code}:{note}",
    ),
    "n_field_work": (
        "Laporan {code} memerlukan pekerjaan lapangan; tenggat penyelesaian {due}.{note}",
        "Report {code} needs field work; to be resolved by {due}.{note}",
    ),
    "n_resolved": (
        "Laporan {code} dinyatakan selesai oleh {department}.{note}\n\n"
        "Apakah masalahnya benar sudah beres? Beri nilai 1–5, atau tekan «Belum selesai».",
        "{department} says report {code} is resolved.{note}\n\n"
        "Is it really fixed? Rate it 1–5, or press “Not fixed yet”.",
    ),
    "n_closed": ("Laporan {code} ditutup. Terima kasih.", "Report {code} is closed. Thank you."),
    "n_rejected": (
        "Laporan {code} tidak dapat diproses.{note}",
        "Report {code} cannot be taken forward.{note}",
    ),
    "n_referred": (
        "Laporan {code} di luar kewenangan Pemerintah Kota Malang.{note}",
        "Report {code} is outside the city government's authority.{note}",
    ),
    "n_overdue": (
        "Laporan {code} melewati tenggat ({due}). Kepala {department} sudah diberi tahu.",
        "Report {code} is past its deadline ({due}). The head of {department} has been told.",
    ),
    "n_escalated": (
        "Laporan {code} belum terjawab dan kini dilaporkan ke pimpinan kota.",
        "Report {code} is still unanswered and has now gone to the city's leadership.",
    ),
    "n_policy_decision": (
        "Anda menyampaikan pendapat tentang kebijakan «{policy}». Keputusan Pemerintah Kota "
        "Malang: {decision}.{note}{changes}\n\nTerima kasih sudah mengingatkan.",
        "You spoke up about the policy “{policy}”. The City of Malang has decided: "
        "{decision}.{note}{changes}\n\nThank you for reminding us.",
    ),
    "decision_changes": (
        "\n\nYang berubah, berlaku mulai {day}:\n{changes}",
        "\n\nWhat changes, from {day}:\n{changes}",
    ),
    "n_other": (
        "Kabar laporan {code}: status kini {status}.{note}",
        "News on report {code}: it is now {status}.{note}",
    ),
    "note": ("\n\n«{note}»", "\n\n“{note}”"),
    "reason": ("\nAlasan: {note}", "\nReason: {note}"),
    "where_to_go": ("\nSilakan menghubungi: {note}", "\nPlease contact: {note}"),
    "a_department": ("perangkat daerah", "the department"),
}

# Staff read Indonesian; these go to officers, heads, verifiers and leadership on Telegram.
STAFF: dict[str, str] = {
    "submitted": "Laporan baru {code} untuk {department}:\n\n{text}\n\nTanggapi paling lambat "
    "{due}.",
    "routed": "Laporan {code} diteruskan verifikator ke {department}:\n\n{text}\n\n"
    "Tanggapi paling lambat {due}.",
    "rerouted": "Laporan {code} dialihkan ke {department}:\n\n{text}\n\nTanggapi paling "
    "lambat {due}.",
    "urgent_alert": "⚠️ MENDESAK — laporan {code} untuk {department}:\n\n{text}\n\n"
    "Tanggapi paling lambat {due}.",
    "reopened": "Warga menyatakan laporan {code} belum selesai:{note}\nSelesaikan paling "
    "lambat {due}.",
    "reminder": "Pengingat: laporan {code} harus ditanggapi paling lambat {due}.",
    "overdue": "Laporan {code} untuk {department} melewati tenggat {due}.",
    "escalated": "Laporan {code} untuk {department} belum terjawab hingga dua kali tenggat "
    "({due}); surat teguran dicatat.",
    "other": "Kabar laporan {code}: {event} (status: {status}).",
    "policy_review_opened": "Kebijakan «{policy}» masuk tinjauan: {objectors} warga berbeda "
    "menyatakan keberatan. Putuskan di halaman «Tinjauan kebijakan» (dipertahankan, direvisi "
    "atau dicabut) beserta alasannya paling lambat {due}.",
    "policy_review_reminder": "Pengingat: tinjauan kebijakan «{policy}» harus diputuskan "
    "paling lambat {due}.",
    "policy_review_overdue": "Tinjauan kebijakan «{policy}» melewati tenggat {due}; "
    "{objectors} warga menunggu keputusan.",
    "policy_review_escalated": "Tinjauan kebijakan «{policy}» ({department}) belum diputuskan "
    "hingga dua kali tenggat ({due}); {objectors} warga menunggu keputusan.",
}

BUTTONS: dict[str, tuple[str, str]] = {
    "report": ("📝 Buat laporan", "📝 New report"),
    "status": ("🔎 Cek status", "🔎 Check status"),
    "mine": ("📋 Laporan saya", "📋 My reports"),
    "policies": ("📜 Kebijakan kota", "📜 City policies"),
    "help": ("❓ Bantuan", "❓ Help"),
    "language": ("🌐 Bahasa", "🌐 Language"),
    "cancel": ("✖️ Batal", "✖️ Cancel"),
    "next": ("➡️ Lanjut", "➡️ Continue"),
    "share_location": ("📍 Bagikan lokasi", "📍 Share location"),
    "policy_yes": ("Ya, tautkan", "Yes, link it"),
    "policy_no": ("Bukan", "No"),
    "objection": ("Keberatan", "Objection"),
    "suggestion": ("Saran", "Suggestion"),
    "support": ("Dukungan", "Support"),
    "public": ("Publik", "Public"),
    "anonymous": ("Anonim", "Anonymous"),
    "confidential": ("Rahasia", "Confidential"),
    "send": ("✅ Kirim", "✅ Send"),
    "not_fixed": ("Belum selesai", "Not fixed yet"),
}

STATUS: dict[str, tuple[str, str]] = {
    "triage": ("menunggu verifikasi", "awaiting a verifier"),
    "open": ("diteruskan ke perangkat daerah", "with the department"),
    "in_progress": ("sedang ditangani", "being handled"),
    "resolved": ("selesai, menunggu konfirmasi pelapor", "resolved, awaiting confirmation"),
    "closed": ("ditutup", "closed"),
    "rejected": ("ditolak", "rejected"),
    "referred": ("dirujuk ke instansi lain", "referred elsewhere"),
}

EVENTS: dict[str, tuple[str, str]] = {
    "submitted": ("laporan diterima", "report received"),
    "routed": ("diteruskan", "routed"),
    "rerouted": ("dialihkan", "re-routed"),
    "acknowledged": ("mulai ditangani", "taken on"),
    "responded": ("tanggapan", "reply"),
    "field_work": ("perlu pekerjaan lapangan", "field work needed"),
    "resolved": ("dinyatakan selesai", "resolved"),
    "reopened": ("dibuka kembali", "reopened"),
    "closed": ("ditutup", "closed"),
    "rejected": ("ditolak", "rejected"),
    "referred": ("dirujuk", "referred"),
    "reminder": ("pengingat ke petugas", "reminder to officers"),
    "overdue": ("melewati tenggat", "past the deadline"),
    "escalated": ("dilaporkan ke pimpinan", "escalated to leadership"),
    "policy_linked": ("ditautkan ke kebijakan", "linked to a policy"),
    "policy_unlinked": ("tautan kebijakan dilepas", "policy link removed"),
}

UNSUPPORTED: dict[str, tuple[str, str]] = {
    "sticker": ("stiker", "stickers"),
    "voice": ("pesan suara", "voice messages"),
    "audio": ("audio", "audio"),
    "video": ("video", "videos"),
    "video_note": ("pesan video", "video messages"),
    "animation": ("GIF", "GIFs"),
    "document": ("berkas (kirim gambar sebagai foto)", "files (send pictures as photos)"),
    "contact": ("kontak", "contacts"),
    "poll": ("polling", "polls"),
    "dice": ("dadu", "dice"),
    "other": ("jenis pesan ini", "this kind of message"),
}

DECISIONS: dict[str, tuple[str, str]] = {
    "keep": ("dipertahankan", "kept"),
    "revise": ("direvisi", "revised"),
    "revoke": ("dicabut", "revoked"),
}

_DAYS = (
    ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
)
_MONTHS = (
    ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
)


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def say(key: str, language: str, **values: object) -> str:
    return _pick(_TEXTS[key], language).format(**values)


def button(key: str, language: str) -> str:
    return _pick(BUTTONS[key], language)


def status_label(status: str, language: str) -> str:
    return _pick(STATUS.get(status, (status, status)), language)


def event_label(event: str, language: str) -> str:
    return _pick(EVENTS.get(event, (event, event)), language)


def unsupported_label(kind: str, language: str) -> str:
    return _pick(UNSUPPORTED.get(kind, UNSUPPORTED["other"]), language)


def decision_label(decision: str, language: str) -> str:
    return _pick(DECISIONS.get(decision, (decision, decision)), language)


def day(value: date, language: str) -> str:
    """A calendar day: '1 Jan 2027' (months in the language's own abbreviations)."""
    return f"{value.day} {_MONTHS[1 if language == 'en' else 0][value.month - 1]} {value.year}"


def when(moment: datetime | None, language: str) -> str:
    """A moment in the city's time: 'Senin, 1 Des 2026 14.00 WIB' / 'Mon 1 Dec 2026, 14:00 WIB'."""
    if moment is None:
        return "-"
    local = moment.astimezone(settings.current().tz)
    index = 1 if language == "en" else 0
    day = _DAYS[index][local.weekday()]
    month = _MONTHS[index][local.month - 1]
    zone = local.tzname() or ""
    if language == "en":
        return f"{day} {local.day} {month} {local.year}, {local:%H:%M} {zone}".strip()
    return f"{day}, {local.day} {month} {local.year} {local:%H.%M} {zone}".strip()


def menu_action(text: str) -> str | None:
    """The menu entry a typed or pressed label stands for, in either language."""
    wanted = _plain(text)
    for key in ("report", "status", "mine", "policies", "help", "language", "cancel"):
        if wanted in {_plain(label) for label in BUTTONS[key]}:
            return key
    return None


def is_button(text: str, key: str) -> bool:
    return _plain(text) in {_plain(label) for label in BUTTONS[key]}


def _plain(label: str) -> str:
    """A label without its emoji and case: '📝 Buat laporan' -> 'buat laporan'."""
    return "".join(ch for ch in label if ch.isalnum() or ch == " ").strip().lower()
