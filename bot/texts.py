"""What the bot needs beyond single texts: the tables of texts it picks by a key (buttons,
notices, event and decision names, staff messages), each a msgid of the i18n catalogue, and
how it writes days and moments.

Button labels are here because the bot recognises a pressed menu button by its label in
either language: `menu_action` reads the catalogue in both.
"""

from __future__ import annotations

from datetime import date, datetime

from config import settings
from core.catalogue.public import list_departments
from core.reports.intake import STANCE_NAMES
from core.reports.lifecycle import STATUS_NAMES
from core.routing.referrals import Referral, how_to_reach
from i18n import LANGUAGES, N_, NP_, format_date, format_datetime, gettext, pgettext

BUTTONS: dict[str, str] = {
    "report": N_("📝 Buat laporan"),
    "status": N_("🔎 Cek status"),
    "mine": N_("📋 Laporan saya"),
    "policies": N_("📜 Kebijakan kota"),
    "help": N_("❓ Bantuan"),
    "language": N_("🌐 Bahasa"),
    "cancel": N_("✖️ Batal"),
    "next": N_("➡️ Lanjut"),
    "share_location": N_("📍 Bagikan lokasi"),
    "policy_yes": N_("Ya, tautkan"),
    "policy_no": N_("Bukan"),
    "objection": STANCE_NAMES["objection"],
    "suggestion": STANCE_NAMES["suggestion"],
    "support": STANCE_NAMES["support"],
    "public": N_("Publik"),
    "anonymous": N_("Anonim"),
    "confidential": N_("Rahasia"),
    "send": N_("✅ Kirim"),
    "add_typed": N_("➕ Tambahkan ke laporan"),
    "not_fixed": NP_("button.not_fixed", "Belum selesai"),
    "join_case": N_("Saya juga mengalami ini"),
}
# Buttons whose Indonesian has another English on the pages: read in their own context.
_BUTTON_CONTEXTS = {"not_fixed": "button.not_fixed"}

# What a citizen is told when their report moves, by the outbox message's template; any other
# template reads as "other".
NOTICES: dict[str, str] = {
    "routed": N_(
        "Laporan %(code)s diteruskan ke %(department)s. Tanggapan pertama paling lambat %(due)s."
    ),
    "rerouted": N_(
        "Laporan %(code)s dialihkan ke %(department)s, yang lebih berwenang. Tanggapan pertama "
        "paling lambat %(due)s."
    ),
    "acknowledged": N_("Laporan %(code)s sedang ditangani oleh %(department)s.%(note)s"),
    "responded": N_("Tanggapan %(department)s untuk laporan %(code)s:%(note)s"),
    "field_work": N_(
        "Laporan %(code)s memerlukan pekerjaan lapangan; tenggat penyelesaian %(due)s.%(note)s"
    ),
    "resolved": N_(
        "Laporan %(code)s dinyatakan selesai oleh %(department)s.%(note)s\n"
        "\nApakah masalahnya benar sudah beres? Beri nilai 1–5, atau tekan «Belum selesai»."
    ),
    "closed": N_("Laporan %(code)s ditutup. Terima kasih."),
    "rejected": N_("Laporan %(code)s tidak dapat diproses.%(note)s"),
    "referred": N_("Laporan %(code)s di luar kewenangan Pemerintah Kota Malang.%(note)s"),
    # Referred to a known authority (core.routing.referrals): named with its contact.
    "referred_to": N_(
        "Laporan %(code)s di luar kewenangan Pemerintah Kota Malang dan dirujuk ke "
        "%(authority)s. Silakan menghubungi: %(contact)s"
    ),
    "overdue": N_(
        "Laporan %(code)s melewati tenggat (%(due)s). Kepala %(department)s sudah diberi tahu."
    ),
    "escalated": N_("Laporan %(code)s belum terjawab dan kini dilaporkan ke pimpinan kota."),
    "policy_decision": N_(
        "Anda menyampaikan pendapat tentang kebijakan «%(policy)s». Keputusan Pemerintah Kota "
        "Malang: %(decision)s.%(note)s%(changes)s\n"
        "\nTerima kasih sudah mengingatkan."
    ),
    "merged": N_(
        "Laporan %(code)s sama dengan laporan %(case)s yang sudah ditangani, jadi digabungkan "
        "ke sana. Mulai sekarang Anda menerima kabar laporan %(case)s."
    ),
    "unmerged": N_("Laporan %(code)s kembali ditangani tersendiri."),
    "other": N_("Kabar laporan %(code)s: status kini %(status)s.%(note)s"),
}
# How a staff member's note is quoted in a notice, by the kind of note.
NOTES: dict[str, str] = {
    "note": N_("\n\n«%(note)s»"),
    "reason": N_("\nAlasan: %(note)s"),
    "where_to_go": N_("\nSilakan menghubungi: %(note)s"),
}

# Staff read Indonesian; these go to officers, heads, verifiers and leadership on Telegram.
STAFF: dict[str, str] = {
    "submitted": N_(
        "Laporan baru %(code)s untuk %(department)s:\n\n%(text)s\n\nTanggapi paling lambat %(due)s."
    ),
    "routed": N_(
        "Laporan %(code)s diteruskan verifikator ke %(department)s:\n"
        "\n%(text)s\n\nTanggapi paling lambat %(due)s."
    ),
    "rerouted": N_(
        "Laporan %(code)s dialihkan ke %(department)s:\n"
        "\n%(text)s\n\nTanggapi paling lambat %(due)s."
    ),
    # Urgent reports (core/reports/emergency.py): the alert at once, and when nobody acted.
    "emergency": N_(
        "🚨 MENDESAK — laporan %(code)s perlu ditangani segera.\n"
        "\n%(short)s\n\nTempat: %(place)s\nPerangkat daerah: %(department)s\n"
        "\nBuka laporan: %(link)s"
    ),
    "urgent_unanswered": N_(
        "⏰ MENDESAK — laporan %(code)s belum ditangani siapa pun hingga %(due)s.\n"
        "\n%(short)s\n\nTempat: %(place)s\nPerangkat daerah: %(department)s\n"
        "\nBuka laporan: %(link)s"
    ),
    "reopened": N_(
        "Warga menyatakan laporan %(code)s belum selesai:%(note)s\n"
        "Selesaikan paling lambat %(due)s."
    ),
    "reminder": N_("Pengingat: laporan %(code)s harus ditanggapi paling lambat %(due)s."),
    "overdue": N_("Laporan %(code)s untuk %(department)s melewati tenggat %(due)s."),
    "escalated": N_(
        "Laporan %(code)s untuk %(department)s belum terjawab hingga dua kali tenggat (%(due)s); "
        "surat teguran dicatat."
    ),
    "other": N_("Kabar laporan %(code)s: %(event)s (status: %(status)s)."),
    "digest": N_(
        "Ringkasan %(day)s: %(waiting)s laporan menunggu tanggapan, %(overdue)s melewati "
        "tenggat, %(due_today)s jatuh tempo hari ini."
    ),
    "policy_review_opened": N_(
        "Kebijakan «%(policy)s» masuk tinjauan: %(objectors)s warga berbeda menyatakan keberatan. "
        "Putuskan di halaman «Tinjauan kebijakan» (dipertahankan, direvisi atau dicabut) beserta "
        "alasannya paling lambat %(due)s."
    ),
    "policy_review_reminder": N_(
        "Pengingat: tinjauan kebijakan «%(policy)s» harus diputuskan paling lambat %(due)s."
    ),
    "policy_review_overdue": N_(
        "Tinjauan kebijakan «%(policy)s» melewati tenggat %(due)s; %(objectors)s warga menunggu "
        "keputusan."
    ),
    "policy_review_escalated": N_(
        "Tinjauan kebijakan «%(policy)s» (%(department)s) belum diputuskan hingga dua kali "
        "tenggat (%(due)s); %(objectors)s warga menunggu keputusan."
    ),
}

EVENTS: dict[str, str] = {
    "submitted": N_("laporan diterima"),
    "routed": N_("diteruskan"),
    "rerouted": N_("dialihkan"),
    "acknowledged": N_("mulai ditangani"),
    "responded": N_("tanggapan"),
    "field_work": N_("perlu pekerjaan lapangan"),
    "resolved": N_("dinyatakan selesai"),
    "reopened": N_("dibuka kembali"),
    "closed": N_("ditutup"),
    "rejected": N_("ditolak"),
    "referred": N_("dirujuk"),
    "reminder": N_("pengingat ke petugas"),
    "overdue": N_("melewati tenggat"),
    "escalated": N_("dilaporkan ke pimpinan"),
    "policy_linked": N_("ditautkan ke kebijakan"),
    "policy_unlinked": N_("tautan kebijakan dilepas"),
    "merged": N_("digabung dengan laporan lain"),
    "joined": N_("laporan warga lain bergabung"),
    "unmerged": N_("dipisahkan kembali"),
    "split": N_("laporan warga lain dipisahkan"),
}

UNSUPPORTED: dict[str, str] = {
    "sticker": N_("stiker"),
    "voice": N_("pesan suara"),
    "audio": N_("audio"),
    "video": N_("video"),
    "video_note": N_("pesan video"),
    "animation": N_("GIF"),
    "document": N_("berkas (kirim gambar sebagai foto)"),
    "contact": N_("kontak"),
    "poll": N_("polling"),
    "dice": N_("dadu"),
    "other": N_("jenis pesan ini"),
}

DECISIONS: dict[str, str] = {
    "keep": N_("dipertahankan"),
    "revise": N_("direvisi"),
    "revoke": N_("dicabut"),
}

# Babel's patterns for a moment: 'Senin, 1 Des 2026 14.00' / 'Mon 1 Dec 2026, 14:00'.
_MOMENT = {"id": "EEEE, d MMM y HH.mm", "en": "EEE d MMM y, HH:mm"}


def button(key: str, language: str) -> str:
    context = _BUTTON_CONTEXTS.get(key)
    if context is None:
        return gettext(language, BUTTONS[key])
    return pgettext(language, context, BUTTONS[key])


def _label(table: dict[str, str], key: str, language: str) -> str:
    msgid = table.get(key)
    return key if msgid is None else gettext(language, msgid)


def status_label(status: str, language: str) -> str:
    return _label(STATUS_NAMES, status, language)


def event_label(event: str, language: str) -> str:
    return _label(EVENTS, event, language)


def unsupported_label(kind: str, language: str) -> str:
    return gettext(language, UNSUPPORTED.get(kind, UNSUPPORTED["other"]))


def decision_label(decision: str, language: str) -> str:
    return _label(DECISIONS, decision, language)


def day(value: date, language: str) -> str:
    """A calendar day: '1 Jan 2027' (months in the language's own abbreviations)."""
    return format_date(language, value, format="d MMM y")


def when(moment: datetime | None, language: str) -> str:
    """A moment in the city's time: 'Senin, 1 Des 2026 14.00 WIB' / 'Mon 1 Dec 2026, 14:00 WIB'."""
    if moment is None:
        return "-"
    local = moment.astimezone(settings.current().tz)
    pattern = _MOMENT["en" if language == "en" else "id"]
    return f"{format_datetime(language, local, format=pattern)} {local.tzname() or ''}".strip()


def menu_action(text: str) -> str | None:
    """The menu entry a typed or pressed label stands for, in either language."""
    wanted = _plain(text)
    for key in ("report", "status", "mine", "policies", "help", "language", "cancel"):
        if is_button(wanted, key):
            return key
    return None


def is_button(text: str, key: str) -> bool:
    return _plain(text) in {_plain(button(key, language)) for language in LANGUAGES}


def _plain(label: str) -> str:
    """A label without its emoji and case: '📝 Buat laporan' -> 'buat laporan'."""
    return "".join(ch for ch in label if ch.isalnum() or ch == " ").strip().lower()


async def short_names() -> dict[str, str]:
    """Each department's short name ('Dishub') by its official one: citizens read the official
    name once, where a report is first sent somewhere, and the name they use after that."""
    return {department.name: department.short_name for department in await list_departments()}


def introduced(name: str, short_names: dict[str, str]) -> str:
    """A department's first mention: 'Dinas Perhubungan (Dishub)'."""
    short = short_names.get(name, name)
    return name if short == name else f"{name} ({short})"


def suggested_referral_text(authority: Referral, language: str, *, due: str) -> str:
    """The receipt of a report the classifier thinks belongs to an outside authority: it waits
    in triage, so the citizen hears it is likely theirs, whom to contact, and that a verifier
    decides (lifecycle.refer_to_authority, or a route when it is the city's after all)."""
    return gettext(
        language,
        "Masalah ini tampaknya kewenangan %(authority)s, bukan Pemerintah Kota Malang; Anda "
        "dapat menghubungi %(contact)s. Verifikator akan memastikannya paling lambat %(due)s.",
        authority=authority.short_name,
        contact=how_to_reach(authority, language),
        due=due,
    )
