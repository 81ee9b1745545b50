"""The conversation with a citizen, one step at a time.

`step` takes where the conversation is and what the citizen just sent, and returns where it
goes next and what to answer. Steps only read; the few that change the world (sending a
report, rating, reopening) return an `after` action that runs once the step is saved, so a
step taken again after a lost compare-and-set (see bot/state.py) never writes twice, and a
double tap on "Send" finds the conversation already moved on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot import keyboards
from bot.state import Conversation, State
from bot.texts import (
    button,
    event_label,
    introduced,
    is_button,
    menu_action,
    short_names,
    status_label,
    suggested_referral_text,
    unsupported_label,
    when,
)
from core.catalogue.public import list_policies
from core.citizens.limits import ensure_may_report
from core.citizens.mail import LinkNotValid
from core.citizens.telegram import (
    add_photo_to_sent_report,
    follow_report,
    locate_sent_report,
    own_reports,
    owns_report,
    routing_preview,
    submit_citizen_report,
)
from core.errors import DomainError, Forbidden, IllegalTransition, InvalidInput, NotFound
from core.policies.matching import suggest_policy
from core.reports.attachments import MAX_PHOTOS
from core.reports.emergency import ALERTED_NOTICES, EMERGENCY_CONTACTS
from core.reports.intake import (
    MAX_TEXT,
    MIN_TEXT,
    STANCES,
    Location,
    clean_text,
    public_report,
    visible_length,
)
from core.reports.lifecycle import NOTE_MIN, RATINGS, Status, close, reopen
from core.reports.merging import merge
from core.reports.tracking import code_in_message, normalize_code
from core.routing.decision import Router
from core.routing.referrals import how_to_reach, referral
from core.staff.actors import Actor, ActorKind
from core.staff.telegram_link import link_chat
from i18n import LANGUAGES, gettext

Kind = Literal["text", "command", "photo", "location", "callback", "unsupported", "edited"]
MAX_ADDRESS = 300
# Telegram cuts a message longer than 4096 characters into parts sent at once; a text that
# follows a refused long one this soon is its rest, refused with it rather than taken alone.
SPLIT_WINDOW_SECONDS = 3
_REFUSED_AT = "refused_long_at"
# Long texts are cut in summaries and lists so a message stays well under Telegram's 4096.
_SUMMARY_TEXT = 1500
_SNIPPET = 60
_TIMELINE = 10

COMMANDS = {
    "start": "start",
    "help": "help",
    "bantuan": "help",
    "cancel": "cancel",
    "batal": "cancel",
    "report": "report",
    "lapor": "report",
    "status": "status",
    "cek": "status",
    "myreports": "mine",
    "laporansaya": "mine",
    "policies": "policies",
    "kebijakan": "policies",
    "language": "language",
    "bahasa": "language",
    "tautkan": "link",
    "link": "link",
}
_REPORT_STATES = frozenset(
    {
        State.REPORT_TEXT,
        State.REPORT_DETAILS,
        State.REPORT_POLICY,
        State.REPORT_STANCE,
        State.REPORT_PRIVACY,
        State.REPORT_CONFIRM,
    }
)
_CHOICE_STATES = frozenset(
    {State.REPORT_POLICY, State.REPORT_STANCE, State.REPORT_PRIVACY, State.REPORT_CONFIRM}
)


@dataclass(frozen=True)
class Incoming:
    """What a citizen sent, whatever Telegram wrapped it in."""

    kind: Kind
    text: str = ""  # message text, photo caption, command arguments or unsupported kind
    command: str | None = None
    photo: str | None = None  # file id of the largest size
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None  # of a shared venue
    data: str = ""  # of a pressed inline button
    sent_at: int | None = None  # when Telegram received the message, in Unix seconds


@dataclass(frozen=True)
class Reply:
    text: str
    markup: ReplyKeyboardMarkup | InlineKeyboardMarkup | None = None


After = Callable[[], Awaitable[list[Reply]]]


@dataclass
class Outcome:
    state: State
    draft: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    language: str | None = None  # a language to remember from now on
    after: After | None = None
    toast: str | None = None  # the short answer shown on a pressed inline button


async def step(conversation: Conversation, incoming: Incoming, *, router: Router) -> Outcome:
    language = conversation.language
    if incoming.kind == "edited":
        return _stay(
            conversation,
            gettext(
                language,
                "Pesan yang diubah tidak saya baca ulang. Kirim pesan baru bila ada tambahan.",
            ),
        )
    if incoming.kind == "unsupported":
        kind = unsupported_label(incoming.text, language)
        return _stay(
            conversation,
            gettext(
                language,
                "Maaf, saya belum bisa membaca %(kind)s. Kirim teks, foto, atau lokasi.",
                kind=kind,
            ),
        )
    if incoming.kind == "callback":
        return await _on_button(conversation, incoming.data, router)
    if incoming.kind == "command":
        action = COMMANDS.get(incoming.command or "", "help")
        return await _on_action(conversation, action, incoming.text.strip())
    if incoming.kind == "text":
        refused_at = conversation.draft.get(_REFUSED_AT)
        rest = (
            refused_at is not None
            and incoming.sent_at is not None
            and 0 <= incoming.sent_at - refused_at <= SPLIT_WINDOW_SECONDS
        )
        if rest or len(incoming.text) > MAX_TEXT:
            return _refuse_long(conversation, incoming, told=rest)
    conversation = replace(
        conversation, draft={k: v for k, v in conversation.draft.items() if k != _REFUSED_AT}
    )
    if incoming.kind == "text" and (pressed := menu_action(incoming.text)):
        return await _on_action(conversation, pressed, "")
    handler = _STEPS[conversation.state]
    return await handler(conversation, incoming, router)


# --- helpers -------------------------------------------------------------------------


def _refuse_long(conversation: Conversation, incoming: Incoming, *, told: bool) -> Outcome:
    """Refuse a text too long for a report, and every part of it Telegram sends after, with
    one message: the draft stays as it was, without any part."""
    draft = {**conversation.draft, _REFUSED_AT: incoming.sent_at}
    if told:
        return Outcome(conversation.state, draft)
    text = gettext(
        conversation.language,
        "Pesan Anda terlalu panjang: laporan paling panjang %(limit)s karakter. Pesan sepanjang "
        "itu dipecah Telegram menjadi beberapa bagian, dan tidak ada bagian yang saya simpan. "
        "Kirim versi yang lebih ringkas.",
        limit=MAX_TEXT,
    )
    return Outcome(conversation.state, draft, [Reply(text)])


def _stay(conversation: Conversation, *texts: str, toast: str | None = None) -> Outcome:
    return Outcome(
        conversation.state,
        conversation.draft,
        [Reply(text) for text in texts],
        toast=toast,
    )


def _leave(
    conversation: Conversation, state: State, draft: dict[str, Any], *replies: Reply
) -> Outcome:
    """Go to another task; a report being written is dropped, and the citizen is told."""
    notes = [Reply(note) for note in _dropped_draft(conversation)]
    return Outcome(state, draft, [*notes, *replies])


def _dropped_draft(conversation: Conversation) -> list[str]:
    """What to tell a citizen leaving the report they were writing: that it is dropped."""
    if conversation.state not in _REPORT_STATES:
        return []
    return [gettext(conversation.language, "Draf laporan sebelumnya saya batalkan.")]


def _idle(conversation: Conversation, *texts: str) -> Outcome:
    language = conversation.language
    replies = [Reply(text) for text in texts]
    replies[-1] = Reply(replies[-1].text, keyboards.main_menu(language))
    return Outcome(State.IDLE, {}, replies)


async def _refusal(conversation: Conversation) -> Outcome | None:
    """Why this citizen may not start a report now (blocked, or too many just now), if so."""
    try:
        await ensure_may_report(citizen_id=conversation.citizen.id)
    except DomainError as error:
        return _idle(conversation, error.message(conversation.language))
    return None


# --- menu and commands ---------------------------------------------------------------


async def _on_action(conversation: Conversation, action: str, argument: str) -> Outcome:
    language = conversation.language
    if action == "start" and argument:
        # A "follow in Telegram" link (t.me/<bot>?start=<code>) from a web page or a mail.
        return Outcome(
            State.IDLE,
            {},
            [Reply(note) for note in _dropped_draft(conversation)],
            after=lambda: _follow(conversation, code=argument),
        )
    if action == "start":
        return _idle(
            conversation,
            *_dropped_draft(conversation),
            gettext(
                language,
                "Halo! Saya ingatkan, layanan laporan warga Kota Malang.\n"
                "\nCeritakan masalah layanan kota, atau kebijakan yang menurut Anda keliru. Saya "
                "teruskan ke dinas yang tepat dan memberi kabar sampai selesai.\n"
                "\nPilih menu di bawah, atau langsung tulis laporan Anda.",
            ),
        )
    if action == "help":
        return _stay(
            conversation,
            gettext(
                language,
                "Cara memakai ingatkan:\n• Buat laporan — ceritakan masalahnya, tambahkan foto "
                "dan lokasi, lalu kirim. Anda mendapat kode pelacakan.\n"
                "• Cek status — ketik kode pelacakan, atau /status MLG-7K3Q9X.\n"
                "• Laporan saya — laporan yang pernah Anda kirim.\n"
                "• Kebijakan kota — kebijakan yang dapat Anda tanggapi.\n"
                "• Bahasa — Bahasa Indonesia atau English.\n"
                "/cancel membatalkan langkah yang sedang berjalan, kapan saja.\n"
                "\nKami memberi kabar di sini setiap ada perkembangan laporan Anda.\n"
                "Petugas dinas: /tautkan KODE menautkan obrolan ini ke akun Anda.",
            ),
        )
    if action == "cancel":
        if conversation.state is State.IDLE:
            return _idle(conversation, gettext(language, "Tidak ada yang sedang berjalan."))
        return _idle(conversation, _cancelled(language))
    if action == "report":
        refused = await _refusal(conversation)
        if refused:
            return refused
        return _leave(
            conversation,
            State.REPORT_TEXT,
            {},
            Reply(
                gettext(
                    language,
                    "Ceritakan masalahnya dengan kata-kata Anda sendiri: apa, di mana, sejak "
                    "kapan. Boleh juga mengirim foto dengan keterangan.",
                ),
                keyboards.cancel_only(language),
            ),
        )
    if action == "status":
        if argument:
            return _stay(conversation, await _status_text(argument, language))
        return _leave(
            conversation,
            State.STATUS_CODE,
            {},
            Reply(
                gettext(language, "Ketik kode pelacakan laporan, misalnya MLG-7K3Q9X."),
                keyboards.cancel_only(language),
            ),
        )
    if action == "mine":
        return _stay(conversation, await _my_reports_text(conversation))
    if action == "policies":
        return _stay(conversation, await _policies_text(language))
    if action == "link":
        return _stay(conversation, await _link_staff_chat(conversation, argument))
    # language
    return Outcome(
        conversation.state,
        conversation.draft,
        [Reply(gettext(language, "Pilih bahasa / Choose a language:"), keyboards.languages())],
    )


# --- the steps of a report -----------------------------------------------------------


async def _at_idle(conversation: Conversation, incoming: Incoming, router: Router) -> Outcome:
    """Anything a citizen sends out of the blue is taken as the start of a report; a clerk
    would not ask them to press a button first."""
    language = conversation.language
    if incoming.kind == "text":
        if code_in_message(incoming.text):
            return _stay(conversation, await _status_text(incoming.text, language))
        if visible_length(incoming.text) < MIN_TEXT:
            return _idle(
                conversation,
                gettext(
                    language,
                    "Tulis laporan Anda (minimal %(min)s karakter), ketik kode pelacakan, atau "
                    "pilih menu.",
                    min=MIN_TEXT,
                ),
            )
    refused = await _refusal(conversation)
    if refused:
        return refused
    started = replace(conversation, state=State.REPORT_TEXT, draft={})
    outcome = await _at_report_text(started, incoming, router)
    outcome.replies.insert(0, Reply(gettext(language, "Saya siapkan laporan dari pesan Anda.")))
    return outcome


async def _at_report_text(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    draft = dict(conversation.draft)
    if incoming.kind == "photo":
        photos = list(draft.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            return _stay(
                conversation,
                _photo_limit(language),
            )
        draft["photos"] = [*photos, incoming.photo]
        if incoming.text.strip():
            return await _accept_text(conversation, draft, incoming.text, router)
        count = len(draft["photos"])
        text = gettext(
            language,
            "Foto diterima (%(count)s/%(limit)s). Sekarang ceritakan masalahnya.",
            count=count,
            limit=MAX_PHOTOS,
        )
        return Outcome(State.REPORT_TEXT, draft, [Reply(text, keyboards.cancel_only(language))])
    if incoming.kind == "location":
        problem = _set_location(draft, incoming, language)
        text = problem or gettext(language, "Lokasi diterima. Sekarang ceritakan masalahnya.")
        return Outcome(State.REPORT_TEXT, draft, [Reply(text, keyboards.cancel_only(language))])
    return await _accept_text(conversation, draft, incoming.text, router)


async def _accept_text(
    conversation: Conversation, draft: dict[str, Any], text: str, router: Router
) -> Outcome:
    language = conversation.language
    try:
        draft["text"] = clean_text(text)
    except InvalidInput as error:
        hint = gettext(
            language,
            "%(problem)s\nContoh: «Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari.»",
            problem=error.message(language),
        )
        return Outcome(State.REPORT_TEXT, draft, [Reply(hint, keyboards.cancel_only(language))])
    if (await routing_preview(text=draft["text"], router=router)).urgent:
        return _send_at_once(draft, conversation, router)
    return Outcome(
        State.REPORT_DETAILS,
        draft,
        [Reply(_details_noted(language), keyboards.details(language))],
    )


def _send_at_once(draft: dict[str, Any], conversation: Conversation, router: Router) -> Outcome:
    """An urgent report is sent as it stands, before any optional question: a policy and
    privacy are skipped (it is public, as on every door by default), and a photo sent next is
    added to it (REPORT_SENT). The receipt gives the emergency lines first."""
    sent = {**draft, "privacy": "public"}
    return Outcome(
        State.REPORT_SENT, {"sent": sent["text"]}, after=lambda: _submit(conversation, sent, router)
    )


async def _after_sent(conversation: Conversation, incoming: Incoming, router: Router) -> Outcome:
    """A photo or a location right after an urgent report goes to it; anything else starts
    afresh."""
    if incoming.kind == "location":
        return await _locate_sent(conversation, incoming)
    if incoming.kind != "photo" or not incoming.photo:
        return await _at_idle(replace(conversation, state=State.IDLE, draft={}), incoming, router)
    language = conversation.language
    try:
        code = await add_photo_to_sent_report(
            citizen_id=conversation.citizen.id,
            text=conversation.draft["sent"],
            file_id=incoming.photo,
        )
    except DomainError as error:
        return _stay(conversation, error.message(language))
    return _stay(
        conversation, gettext(language, "Foto ditambahkan ke laporan %(code)s.", code=code)
    )


async def _locate_sent(conversation: Conversation, incoming: Incoming) -> Outcome:
    """The point of the urgent report just sent: refused outside Kota Malang as at intake."""
    language = conversation.language
    try:
        placed = await locate_sent_report(
            citizen_id=conversation.citizen.id,
            text=conversation.draft["sent"],
            location=Location(incoming.latitude or 0.0, incoming.longitude or 0.0),
        )
    except DomainError as error:
        return _stay(conversation, error.message(language))
    text = gettext(
        language,
        "Lokasi ditambahkan ke laporan %(code)s (Kecamatan %(kecamatan)s).",
        code=placed.tracking_code,
        kecamatan=placed.kecamatan or "-",
    )
    # The location button has served: the menu alone again.
    return Outcome(
        conversation.state, conversation.draft, [Reply(text, keyboards.main_menu(language))]
    )


def _set_location(draft: dict[str, Any], incoming: Incoming, language: str) -> str | None:
    """Store a shared location (and a venue's address); the problem with it, if any."""
    try:
        Location(incoming.latitude or 0.0, incoming.longitude or 0.0)
    except InvalidInput as error:
        return error.message(language)
    draft["latitude"], draft["longitude"] = incoming.latitude, incoming.longitude
    if incoming.address:
        draft["address"] = incoming.address[:MAX_ADDRESS]
    return None


async def _at_report_details(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    draft = dict(conversation.draft)
    if incoming.kind == "photo":
        photos = list(draft.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            return _stay(
                conversation,
                _photo_limit(language),
            )
        draft["photos"] = [*photos, incoming.photo]
        replies = [
            Reply(
                gettext(
                    language,
                    "Foto ditambahkan (%(count)s/%(limit)s). Tekan «Lanjut» bila sudah.",
                    count=len(draft["photos"]),
                    limit=MAX_PHOTOS,
                )
            )
        ]
        if incoming.text.strip():
            try:
                draft["text"] = clean_text(f"{draft['text']}\n{incoming.text}")
            except InvalidInput:
                too_long = gettext(
                    language,
                    "Keterangan foto tidak muat: laporan paling panjang %(limit)s karakter. "
                    "Fotonya tetap saya simpan.",
                    limit=MAX_TEXT,
                )
                replies.insert(0, Reply(too_long))
        return Outcome(State.REPORT_DETAILS, draft, replies)
    if incoming.kind == "location":
        problem = _set_location(draft, incoming, language)
        return Outcome(
            State.REPORT_DETAILS,
            draft,
            [Reply(problem or gettext(language, "Lokasi dicatat. Tekan «Lanjut» bila sudah."))],
        )
    if is_button(incoming.text, "next"):
        return await _propose(conversation, draft, router)
    typed = incoming.text.strip()
    if not typed:
        return _stay(
            conversation,
            _details_noted(language),
        )
    if "address" not in draft and len(typed) <= MAX_ADDRESS:
        draft["address"] = typed
        text = gettext(
            language,
            "Alamat dicatat: %(address)s\nPesan berikutnya saya tambahkan ke isi laporan. Tekan "
            "«Lanjut» bila sudah.",
            address=typed,
        )
        return Outcome(State.REPORT_DETAILS, draft, [Reply(text)])
    # The address is known (or this is too long to be one): more words are more of the story,
    # kept rather than taken for a new address.
    try:
        draft["text"] = clean_text(f"{draft['text']}\n{typed}")
    except InvalidInput:
        return _stay(
            conversation,
            gettext(
                language,
                "Tambahan ini tidak muat: laporan paling panjang %(limit)s karakter. Kirim lebih "
                "singkat, atau tekan «Lanjut».",
                limit=MAX_TEXT,
            ),
        )
    text = gettext(language, "Saya tambahkan ke isi laporan. Tekan «Lanjut» bila sudah.")
    return Outcome(State.REPORT_DETAILS, draft, [Reply(text)])


async def _propose(conversation: Conversation, draft: dict[str, Any], router: Router) -> Outcome:
    """Tell where the report will go, then offer a matching policy or ask about privacy."""
    language = conversation.language
    preview = await routing_preview(text=draft["text"], router=router)
    names = await short_names()
    # Named in full here, the first time; by its short name in the summary and after.
    draft["department"] = (
        names.get(preview.department_name, preview.department_name)
        if preview.department_name
        else None
    )
    authority = referral(preview.refer_to)
    if preview.department_name:
        routing = gettext(
            language,
            "Laporan ini akan diteruskan ke %(department)s.",
            department=introduced(preview.department_name, names),
        )
    elif authority:
        routing = gettext(
            language,
            "Masalah ini tampaknya kewenangan %(authority)s, bukan Pemerintah Kota Malang "
            "(%(contact)s). Anda tetap dapat mengirimkannya: verifikator Diskominfo akan "
            "memastikannya.",
            authority=authority.short_name,
            contact=how_to_reach(authority, language),
        )
    else:
        routing = gettext(
            language,
            "Verifikator Diskominfo akan memilih dinas yang tepat untuk laporan ini.",
        )
    if preview.urgent:  # more words made it urgent: no more questions
        return _send_at_once(draft, conversation, router)
    first = Reply(routing, keyboards.cancel_only(language))
    suggestion = await suggest_policy(draft["text"])
    if suggestion:
        draft["suggested"] = {"code": suggestion.code, "title": suggestion.title}
        question = gettext(
            language,
            "Laporan Anda tampaknya terkait kebijakan kota «%(title)s» (%(code)s). Tautkan "
            "laporan ke kebijakan ini? Bila banyak warga keberatan, kebijakan ditinjau ulang.",
            **draft["suggested"],
        )
        return Outcome(
            State.REPORT_POLICY, draft, [first, Reply(question, keyboards.policy_link(language))]
        )
    return Outcome(
        State.REPORT_PRIVACY,
        draft,
        [
            first,
            _privacy_question(language),
        ],
    )


async def _at_choice(conversation: Conversation, incoming: Incoming, router: Router) -> Outcome:
    """Words typed where a button is expected may be more of the story: kept aside, and the
    citizen asked whether to add them, rather than dropped."""
    language = conversation.language
    hint = gettext(
        language, "Silakan pilih salah satu tombol di atas, atau /cancel untuk membatalkan."
    )
    typed = incoming.text.strip() if incoming.kind == "text" else ""
    if not typed:
        return _stay(conversation, hint)
    earlier = conversation.draft.get("typed")
    draft = {**conversation.draft, "typed": f"{earlier}\n{typed}" if earlier else typed}
    question = gettext(language, "Pesan Anda belum masuk laporan. Tambahkan ke isi laporan?")
    return Outcome(
        conversation.state,
        draft,
        [Reply(hint), Reply(question, keyboards.add_typed(language))],
    )


async def _at_status_code(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    if incoming.kind != "text" or not normalize_code(incoming.text):
        return _stay(
            conversation, gettext(language, "Itu bukan kode pelacakan. Kode berbentuk MLG-7K3Q9X.")
        )
    return _idle(conversation, await _status_text(incoming.text, language))


async def _at_reopen_reason(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    reason = incoming.text.strip() if incoming.kind == "text" else ""
    if len(reason) < NOTE_MIN:
        return _stay(
            conversation,
            gettext(
                language,
                "Ceritakan sedikit lebih banyak (minimal %(min)s karakter), atau /cancel.",
                min=NOTE_MIN,
            ),
        )
    code = conversation.draft["reopen"]
    return Outcome(State.IDLE, {}, after=lambda: _reopen(conversation, code=code, reason=reason))


_STEPS: dict[State, Callable[[Conversation, Incoming, Router], Awaitable[Outcome]]] = {
    State.IDLE: _at_idle,
    State.REPORT_TEXT: _at_report_text,
    State.REPORT_DETAILS: _at_report_details,
    State.REPORT_POLICY: _at_choice,
    State.REPORT_STANCE: _at_choice,
    State.REPORT_PRIVACY: _at_choice,
    State.REPORT_CONFIRM: _at_choice,
    State.STATUS_CODE: _at_status_code,
    State.REOPEN_REASON: _at_reopen_reason,
    State.REPORT_SENT: _after_sent,
}


# --- inline buttons ------------------------------------------------------------------


async def _on_button(conversation: Conversation, data: str, router: Router) -> Outcome:
    language = conversation.language
    state = conversation.state
    draft = dict(conversation.draft)
    kind, _, value = data.partition(":")
    if kind != "add":
        draft.pop("typed", None)  # a choice made: words set aside and not added stay out
    if kind == "lang" and value in LANGUAGES:
        markup = keyboards.main_menu(value) if state is State.IDLE else None
        return Outcome(
            state,
            draft,
            [Reply(gettext(value, "Bahasa: Bahasa Indonesia."), markup)],
            language=value,
        )
    if kind == "pol" and state is State.REPORT_POLICY and value in {"yes", "no"}:
        if value == "yes":
            draft["policy"] = draft["suggested"]
            return Outcome(
                State.REPORT_STANCE,
                draft,
                [
                    Reply(
                        gettext(language, "Bagaimana sikap Anda terhadap kebijakan ini?"),
                        keyboards.stances(language),
                    )
                ],
            )
        return Outcome(
            State.REPORT_PRIVACY,
            draft,
            [_privacy_question(language)],
        )
    if kind == "st" and state is State.REPORT_STANCE and value in STANCES:
        draft["stance"] = value
        return Outcome(
            State.REPORT_PRIVACY,
            draft,
            [_privacy_question(language)],
        )
    if kind == "pv" and state is State.REPORT_PRIVACY and value in keyboards.PRIVACY_CHOICES:
        draft["privacy"] = value
        return Outcome(
            State.REPORT_CONFIRM,
            draft,
            [Reply(_summary(draft, language), keyboards.confirm(language))],
        )
    if kind == "add" and value == "typed" and state in _CHOICE_STATES and draft.get("typed"):
        typed = draft.pop("typed")
        try:
            draft["text"] = clean_text(f"{draft['text']}\n{typed}")
        except InvalidInput as error:
            return Outcome(state, draft, [Reply(error.message(language))])
        replies = [Reply(gettext(language, "Saya tambahkan ke isi laporan."))]
        if state is State.REPORT_CONFIRM:  # what is about to be sent has changed: show it again
            replies.append(Reply(_summary(draft, language), keyboards.confirm(language)))
        return Outcome(state, draft, replies)
    if kind == "ok" and state is State.REPORT_CONFIRM and value in {"send", "no"}:
        if value == "no":
            return _idle(conversation, _cancelled(language))
        return Outcome(State.IDLE, {}, after=lambda: _submit(conversation, draft, router))
    if kind == "rate":
        code, _, rating = value.rpartition(":")
        if rating in {"1", "2", "3", "4", "5"} and normalize_code(code):
            return Outcome(
                state,
                draft,
                after=lambda: _rate(conversation, code=code, rating=int(rating)),
            )
    if kind == "join":
        code, _, case = value.partition(":")
        if normalize_code(code) and normalize_code(case):
            return Outcome(state, draft, after=lambda: _join(conversation, code=code, case=case))
    if kind == "reopen" and normalize_code(value):
        return await _ask_reopen_reason(conversation, value)
    return _stay(conversation, toast=gettext(language, "Pilihan ini sudah tidak berlaku."))


async def _ask_reopen_reason(conversation: Conversation, code: str) -> Outcome:
    language = conversation.language
    report = await owns_report(citizen_id=conversation.citizen.id, tracking_code=code)
    if report is None:
        return _stay(conversation, _not_yours(language, code))
    if report.status != Status.RESOLVED:
        status = status_label(report.status, language)
        return _stay(
            conversation,
            _no_longer_awaiting(language, code, status),
        )
    return _leave(
        conversation,
        State.REOPEN_REASON,
        {"reopen": report.tracking_code},
        Reply(
            gettext(
                language,
                "Apa yang belum selesai pada laporan %(code)s? Ceritakan singkat.",
                code=report.tracking_code,
            ),
            keyboards.cancel_only(language),
        ),
    )


def _summary(draft: dict[str, Any], language: str) -> str:
    none = gettext(language, "-")
    text = draft["text"]
    if len(text) > _SUMMARY_TEXT:
        text = text[:_SUMMARY_TEXT] + "…"
    places = []
    if draft.get("latitude") is not None:
        places.append(gettext(language, "titik di peta"))
    if draft.get("address"):
        places.append(draft["address"])
    policy = draft.get("policy")
    return gettext(
        language,
        "Periksa laporan Anda:\n\n%(text)s\n"
        "\nFoto: %(photos)s\nLokasi: %(place)s\n"
        "Tujuan: %(routing)s\nKebijakan: %(policy)s\n"
        "Sifat: %(privacy)s\n\nKirim sekarang?",
        text=text,
        photos=len(draft.get("photos", [])) or none,
        place=", ".join(places) or none,
        routing=draft.get("department") or gettext(language, "verifikator"),
        policy=f"{policy['title']} ({policy['code']}) — {button(draft['stance'], language)}"
        if policy
        else none,
        privacy=button(draft["privacy"], language),
    )


# --- actions that run once the step is saved ---------------------------------------------


async def _submit(conversation: Conversation, draft: dict[str, Any], router: Router) -> list[Reply]:
    language = conversation.language
    menu = keyboards.main_menu(language)
    privacy = draft["privacy"]
    policy = draft.get("policy")
    try:
        report = await submit_citizen_report(
            citizen_id=conversation.citizen.id,
            text=draft["text"],
            router=router,
            anonymous=privacy == "anonymous",
            confidential=privacy == "confidential",
            policy_code=policy["code"] if policy else None,
            stance=draft.get("stance") if policy else None,
            location=Location(draft["latitude"], draft["longitude"])
            if draft.get("latitude") is not None
            else None,
            address=draft.get("address"),
            photo_file_ids=draft.get("photos", []),
        )
    except DomainError as error:
        return [
            Reply(
                gettext(
                    language,
                    "%(problem)s\nLaporan belum terkirim.",
                    problem=error.message(language),
                ),
                menu,
            )
        ]
    due = when(report.due_at, language)
    authority = referral(report.suggested_referral)
    if report.routed_to:
        name = report.routed_to.name
        following = gettext(
            language,
            "Diteruskan ke %(department)s; tanggapan pertama paling lambat %(due)s.",
            department=(await short_names()).get(name, name),
            due=due,
        )
    elif authority:
        following = suggested_referral_text(authority, language, due=due)
    else:
        following = gettext(
            language, "Verifikator akan meneruskannya paling lambat %(due)s.", due=due
        )
    code = report.tracking_code
    receipt = gettext(
        language,
        "Laporan terkirim. Kode pelacakan Anda: %(code)s\n"
        "%(next)s\n\nSimpan kode ini. Kami kabari di sini setiap ada perkembangan; cek "
        "kapan saja dengan /status %(code)s",
        code=code,
        next=following,
    )
    if report.urgent:
        alerted = gettext(language, ALERTED_NOTICES[report.alerted or ""])
        more = gettext(
            language,
            "Ada foto, atau lokasinya? Kirim sekarang, saya tambahkan ke laporan ini. Untuk "
            "lokasi Anda saat ini, tekan «Bagikan lokasi».",
        )
        replies = [
            Reply(_emergency_lines(language)),
            Reply(f"{alerted}\n\n{receipt}\n\n{more}", keyboards.after_urgent(language)),
        ]
    else:
        replies = [Reply(receipt, menu)]
    if report.possible_case:  # an open public case it likely repeats (core/reports/duplicates)
        offer = gettext(
            language,
            "Laporan %(case)s tampaknya tentang masalah yang sama dan sedang ditangani. Bila "
            "benar, gabungkan laporan Anda ke sana: Anda akan menerima setiap kabarnya.",
            case=report.possible_case,
        )
        replies.append(Reply(offer, keyboards.join_case(code, report.possible_case, language)))
    return replies


def _emergency_lines(language: str) -> str:
    lines = "\n".join(
        f"☎️ {gettext(language, contact.name)}: {contact.number}" for contact in EMERGENCY_CONTACTS
    )
    return gettext(language, "🚨 Darurat? Hubungi sekarang:\n%(lines)s", lines=lines)


async def _rate(conversation: Conversation, *, code: str, rating: int) -> list[Reply]:
    language = conversation.language
    actor = Actor(kind=ActorKind.CITIZEN, citizen_id=conversation.citizen.id)
    try:
        report = await close(tracking_code=code, actor=actor, rating=rating)
    except IllegalTransition as error:
        status = status_label(error.status, language)
        return [Reply(_no_longer_awaiting(language, code, status))]
    except (Forbidden, NotFound):
        return [Reply(_not_yours(language, code))]
    return [
        Reply(
            gettext(
                language,
                "Terima kasih! Penilaian %(rating)s/%(best)s untuk laporan %(code)s tercatat, "
                "dan laporan ditutup.",
                rating=rating,
                best=RATINGS[-1],
                code=report.tracking_code,
            )
        )
    ]


async def _join(conversation: Conversation, *, code: str, case: str) -> list[Reply]:
    """ "Saya juga mengalami ini": the citizen's new report joins the case it repeats, and
    they follow the case from now on (core/reports/merging.py checks it is theirs and open)."""
    language = conversation.language
    actor = Actor(kind=ActorKind.CITIZEN, citizen_id=conversation.citizen.id)
    try:
        await merge(tracking_code=code, into=case, actor=actor)
    except IllegalTransition as error:
        status = status_label(error.status, language)
        return [
            Reply(
                gettext(
                    language,
                    "Laporan %(code)s tidak dapat digabungkan lagi (status: %(status)s).",
                    code=code,
                    status=status,
                )
            )
        ]
    except (Forbidden, NotFound):
        return [Reply(_not_yours(language, code))]
    except InvalidInput as error:  # the case closed or moved meanwhile
        return [Reply(error.message(language))]
    return [
        Reply(
            gettext(
                language,
                "Laporan %(code)s digabungkan ke kasus %(case)s. Mulai sekarang Anda menerima "
                "setiap kabar kasus itu di sini; cek kapan saja dengan /status %(case)s",
                code=code,
                case=case,
            )
        )
    ]


async def _follow(conversation: Conversation, *, code: str) -> list[Reply]:
    language = conversation.language
    menu = keyboards.main_menu(language)
    actor = Actor(kind=ActorKind.CITIZEN, citizen_id=conversation.citizen.id)
    try:
        report = await follow_report(code=code, actor=actor)
    except LinkNotValid:
        return [
            Reply(
                gettext(
                    language,
                    "Tautan «Ikuti di Telegram» ini tidak berlaku lagi: sudah dipakai, "
                    "kedaluwarsa, atau tidak dikenal. Anda tetap dapat mengecek laporan dengan "
                    "/status dan kode pelacakannya.",
                ),
                menu,
            )
        ]
    return [
        Reply(
            gettext(
                language,
                "Anda kini mengikuti laporan %(code)s di sini (status: %(status)s). Kami kabari "
                "setiap perkembangannya; bila dinyatakan selesai, Anda dapat menilainya atau "
                "mengatakan belum selesai.",
                code=report.tracking_code,
                status=status_label(report.status, language),
            ),
            menu,
        )
    ]


async def _reopen(conversation: Conversation, *, code: str, reason: str) -> list[Reply]:
    language = conversation.language
    menu = keyboards.main_menu(language)
    actor = Actor(kind=ActorKind.CITIZEN, citizen_id=conversation.citizen.id)
    try:
        await reopen(tracking_code=code, reason=reason, actor=actor)
    except IllegalTransition as error:
        status = status_label(error.status, language)
        return [
            Reply(
                _no_longer_awaiting(language, code, status),
                menu,
            )
        ]
    except (Forbidden, NotFound):
        return [Reply(_not_yours(language, code), menu)]
    except InvalidInput as error:
        return [Reply(error.message(language), menu)]
    return [
        Reply(
            gettext(
                language,
                "Laporan %(code)s dibuka kembali dan dikembalikan ke petugas. Kami kabari lagi.",
                code=code,
            ),
            menu,
        )
    ]


# --- what the citizen can look up ----------------------------------------------------


async def _link_staff_chat(conversation: Conversation, code: str) -> str:
    language = conversation.language
    if not code:
        return gettext(
            language,
            "Untuk petugas: buat kode tautan di halaman Akun saya, lalu kirim /tautkan KODE.",
        )
    linked = await link_chat(code=code, chat_id=conversation.chat_id)
    if linked is None:
        return gettext(
            language,
            "Kode tautan tidak dikenal, sudah dipakai, atau kedaluwarsa. Buat kode baru di "
            "halaman Akun saya.",
        )
    return gettext(
        language,
        "Obrolan ini tertaut dengan akun petugas %(name)s. Pemberitahuan untuk dinas Anda akan "
        "dikirim ke sini.",
        name=linked.full_name,
    )


async def _status_text(code: str, language: str) -> str:
    try:
        report = await public_report(code)
    except NotFound as error:
        return error.message(language)
    names = await short_names()
    lines = []
    for event in report.timeline[-_TIMELINE:]:
        line = f"• {when(event.at, language)} — {event_label(event.event, language)}"
        if event.department and event.event in {"routed", "rerouted"}:
            line += f": {names.get(event.department.name, event.department.name)}"
        if event.note:
            line += f"\n  {event.note}"
        lines.append(line)
    department = introduced(report.department.name, names) if report.department else "-"
    return gettext(
        language,
        "Laporan %(code)s\nStatus: %(status)s\n"
        "Dinas: %(department)s\n"
        "Tenggat: %(due)s\n\nRiwayat:\n"
        "%(timeline)s",
        code=report.tracking_code,
        status=status_label(report.status, language),
        department=department,
        due=when(report.due_at, language),
        timeline="\n".join(lines),
    )


async def _my_reports_text(conversation: Conversation) -> str:
    language = conversation.language
    rows = await own_reports(citizen_id=conversation.citizen.id)
    if not rows:
        return gettext(language, "Anda belum punya laporan. Tekan «Buat laporan» untuk memulai.")
    lines = []
    for row in rows:
        snippet = row.text if len(row.text) <= _SNIPPET else row.text[:_SNIPPET] + "…"
        status = status_label(row.status, language)
        lines.append(f"• {row.tracking_code} — {status}\n  {snippet}")
    return gettext(language, "Laporan Anda, terbaru dulu:\n%(lines)s", lines="\n".join(lines))


async def _policies_text(language: str) -> str:
    rows = await list_policies(include_revoked=False)
    if not rows:
        return gettext(language, "Belum ada kebijakan yang terbuka.")
    lines = [f"• {policy.code}: {policy.title}" for policy in rows]
    return gettext(
        language,
        "Kebijakan kota yang dapat Anda tanggapi:\n"
        "%(lines)s\n\nUntuk menanggapi, buat laporan dan sebut kebijakannya; saya akan menawarkan "
        "tautannya.",
        lines="\n".join(lines),
    )


# Texts the conversation says at more than one step, written once.


def _cancelled(language: str) -> str:
    return gettext(language, "Dibatalkan. Tidak ada yang dikirim.")


def _photo_limit(language: str) -> str:
    return gettext(
        language,
        "Cukup %(limit)s foto per laporan; foto ini tidak saya tambahkan.",
        limit=MAX_PHOTOS,
    )


def _details_noted(language: str) -> str:
    return gettext(
        language,
        "Dicatat. Tambahkan foto atau lokasi bila ada: tekan «Bagikan lokasi», atau "
        "ketik alamatnya. Tekan «Lanjut» bila sudah.",
    )


def _privacy_question(language: str) -> Reply:
    return Reply(
        gettext(
            language,
            "Siapa yang boleh melihat laporan ini?\n"
            "• Publik — isi dan lokasi laporan tampil di halaman publik. Identitas Anda "
            "tidak pernah ditampilkan.\n"
            "• Anonim — isi tampil, alamat tidak, lokasi hanya kira-kira (±100 m), dan "
            "petugas tidak melihat siapa pelapornya.\n"
            "• Rahasia — hanya petugas yang menangani yang dapat membaca isinya.",
        ),
        keyboards.privacy(language),
    )


def _not_yours(language: str, code: str) -> str:
    return gettext(language, "Laporan %(code)s tidak dapat Anda ubah.", code=code)


def _no_longer_awaiting(language: str, code: str, status: str) -> str:
    return gettext(
        language,
        "Laporan %(code)s sudah tidak menunggu konfirmasi (status: %(status)s).",
        code=code,
        status=status,
    )
