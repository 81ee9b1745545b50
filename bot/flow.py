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
    LANGUAGES,
    button,
    event_label,
    is_button,
    menu_action,
    say,
    status_label,
    unsupported_label,
    when,
)
from core.catalogue.public import list_policies
from core.citizens.limits import ensure_may_report
from core.citizens.telegram import (
    own_reports,
    owns_report,
    routing_preview,
    submit_citizen_report,
)
from core.errors import DomainError, Forbidden, IllegalTransition, InvalidInput, NotFound
from core.policies.matching import suggest_policy
from core.reports.attachments import MAX_PHOTOS
from core.reports.intake import (
    MAX_TEXT,
    MIN_TEXT,
    STANCES,
    Location,
    clean_text,
    public_report,
    visible_length,
)
from core.reports.lifecycle import NOTE_MIN, Status, close, reopen
from core.reports.tracking import normalize_code
from core.routing.decision import Router
from core.staff.actors import Actor, ActorKind
from core.staff.telegram_link import link_chat

Kind = Literal["text", "command", "photo", "location", "callback", "unsupported", "edited"]
MAX_ADDRESS = 300
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
        return _stay(conversation, say("edited", language))
    if incoming.kind == "unsupported":
        kind = unsupported_label(incoming.text, language)
        return _stay(conversation, say("unsupported", language, kind=kind))
    if incoming.kind == "callback":
        return await _on_button(conversation, incoming.data, router)
    if incoming.kind == "command":
        action = COMMANDS.get(incoming.command or "", "help")
        return await _on_action(conversation, action, incoming.text.strip())
    if incoming.kind == "text" and (action := menu_action(incoming.text)):
        return await _on_action(conversation, action, "")
    handler = _STEPS[conversation.state]
    return await handler(conversation, incoming, router)


# --- helpers -------------------------------------------------------------------------


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
    notes = []
    if conversation.state in _REPORT_STATES:
        notes.append(Reply(say("draft_dropped", conversation.language)))
    return Outcome(state, draft, [*notes, *replies])


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
    if action == "start":
        return _idle(conversation, say("welcome", language))
    if action == "help":
        return _stay(conversation, say("help", language))
    if action == "cancel":
        if conversation.state is State.IDLE:
            return _idle(conversation, say("nothing_to_cancel", language))
        return _idle(conversation, say("cancelled", language))
    if action == "report":
        refused = await _refusal(conversation)
        if refused:
            return refused
        return _leave(
            conversation,
            State.REPORT_TEXT,
            {},
            Reply(say("ask_text", language), keyboards.cancel_only(language)),
        )
    if action == "status":
        if argument:
            return _stay(conversation, await _status_text(argument, language))
        return _leave(
            conversation,
            State.STATUS_CODE,
            {},
            Reply(say("ask_code", language), keyboards.cancel_only(language)),
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
        [Reply(say("language_prompt", language), keyboards.languages())],
    )


# --- the steps of a report -----------------------------------------------------------


async def _at_idle(conversation: Conversation, incoming: Incoming, router: Router) -> Outcome:
    """Anything a citizen sends out of the blue is taken as the start of a report; a clerk
    would not ask them to press a button first."""
    language = conversation.language
    if incoming.kind == "text":
        if normalize_code(incoming.text):
            return _stay(conversation, await _status_text(incoming.text, language))
        if visible_length(incoming.text) < MIN_TEXT:
            return _idle(conversation, say("idle_hint", language))
    refused = await _refusal(conversation)
    if refused:
        return refused
    started = replace(conversation, state=State.REPORT_TEXT, draft={})
    outcome = await _at_report_text(started, incoming, router)
    outcome.replies.insert(0, Reply(say("from_message", language)))
    return outcome


async def _at_report_text(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    draft = dict(conversation.draft)
    if incoming.kind == "photo":
        photos = list(draft.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            return _stay(conversation, say("too_many_photos", language, limit=MAX_PHOTOS))
        draft["photos"] = [*photos, incoming.photo]
        if incoming.text.strip():
            return _accept_text(conversation, draft, incoming.text)
        count = len(draft["photos"])
        text = say("photo_needs_text", language, count=count, limit=MAX_PHOTOS)
        return Outcome(State.REPORT_TEXT, draft, [Reply(text, keyboards.cancel_only(language))])
    if incoming.kind == "location":
        problem = _set_location(draft, incoming, language)
        text = problem or say("location_needs_text", language)
        return Outcome(State.REPORT_TEXT, draft, [Reply(text, keyboards.cancel_only(language))])
    return _accept_text(conversation, draft, incoming.text)


def _accept_text(conversation: Conversation, draft: dict[str, Any], text: str) -> Outcome:
    language = conversation.language
    try:
        draft["text"] = clean_text(text)
    except InvalidInput as error:
        hint = say("text_hint", language, problem=error.message(language))
        return Outcome(State.REPORT_TEXT, draft, [Reply(hint, keyboards.cancel_only(language))])
    return Outcome(
        State.REPORT_DETAILS,
        draft,
        [Reply(say("ask_details", language), keyboards.details(language))],
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
            return _stay(conversation, say("too_many_photos", language, limit=MAX_PHOTOS))
        draft["photos"] = [*photos, incoming.photo]
        replies = [
            Reply(say("photo_added", language, count=len(draft["photos"]), limit=MAX_PHOTOS))
        ]
        if incoming.text.strip():
            try:
                draft["text"] = clean_text(f"{draft['text']}\n{incoming.text}")
            except InvalidInput:
                too_long = say("text_too_long_with_caption", language, limit=MAX_TEXT)
                replies.insert(0, Reply(too_long))
        return Outcome(State.REPORT_DETAILS, draft, replies)
    if incoming.kind == "location":
        problem = _set_location(draft, incoming, language)
        return Outcome(
            State.REPORT_DETAILS, draft, [Reply(problem or say("location_added", language))]
        )
    if is_button(incoming.text, "next"):
        return await _propose(conversation, draft, router)
    address = incoming.text.strip()
    if not address:
        return _stay(conversation, say("ask_details", language))
    if len(address) > MAX_ADDRESS:
        return _stay(conversation, say("address_invalid", language, limit=MAX_ADDRESS))
    draft["address"] = address
    return Outcome(
        State.REPORT_DETAILS, draft, [Reply(say("address_added", language, address=address))]
    )


async def _propose(conversation: Conversation, draft: dict[str, Any], router: Router) -> Outcome:
    """Tell where the report will go, then offer a matching policy or ask about privacy."""
    language = conversation.language
    preview = await routing_preview(text=draft["text"], router=router)
    draft["department"] = preview.department_name
    routing = (
        say("routing_department", language, department=preview.department_name)
        if preview.department_name
        else say("routing_triage", language)
    )
    if preview.urgent:
        routing += "\n" + say("routing_urgent", language)
    first = Reply(routing, keyboards.cancel_only(language))
    suggestion = await suggest_policy(draft["text"])
    if suggestion:
        draft["suggested"] = {"code": suggestion.code, "title": suggestion.title}
        question = say("ask_policy", language, **draft["suggested"])
        return Outcome(
            State.REPORT_POLICY, draft, [first, Reply(question, keyboards.policy_link(language))]
        )
    return Outcome(
        State.REPORT_PRIVACY,
        draft,
        [first, Reply(say("ask_privacy", language), keyboards.privacy(language))],
    )


async def _at_choice(conversation: Conversation, incoming: Incoming, router: Router) -> Outcome:
    return _stay(conversation, say("choose_button", conversation.language))


async def _at_status_code(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    if incoming.kind != "text" or not normalize_code(incoming.text):
        return _stay(conversation, say("bad_code", language))
    return _idle(conversation, await _status_text(incoming.text, language))


async def _at_reopen_reason(
    conversation: Conversation, incoming: Incoming, router: Router
) -> Outcome:
    language = conversation.language
    reason = incoming.text.strip() if incoming.kind == "text" else ""
    if len(reason) < NOTE_MIN:
        return _stay(conversation, say("reopen_reason_short", language))
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
}


# --- inline buttons ------------------------------------------------------------------


async def _on_button(conversation: Conversation, data: str, router: Router) -> Outcome:
    language = conversation.language
    state = conversation.state
    draft = dict(conversation.draft)
    kind, _, value = data.partition(":")
    if kind == "lang" and value in LANGUAGES:
        markup = keyboards.main_menu(value) if state is State.IDLE else None
        return Outcome(state, draft, [Reply(say("language_set", value), markup)], language=value)
    if kind == "pol" and state is State.REPORT_POLICY and value in {"yes", "no"}:
        if value == "yes":
            draft["policy"] = draft["suggested"]
            return Outcome(
                State.REPORT_STANCE,
                draft,
                [Reply(say("ask_stance", language), keyboards.stances(language))],
            )
        return Outcome(
            State.REPORT_PRIVACY,
            draft,
            [Reply(say("ask_privacy", language), keyboards.privacy(language))],
        )
    if kind == "st" and state is State.REPORT_STANCE and value in STANCES:
        draft["stance"] = value
        return Outcome(
            State.REPORT_PRIVACY,
            draft,
            [Reply(say("ask_privacy", language), keyboards.privacy(language))],
        )
    if kind == "pv" and state is State.REPORT_PRIVACY and value in keyboards.PRIVACY_CHOICES:
        draft["privacy"] = value
        return Outcome(
            State.REPORT_CONFIRM,
            draft,
            [Reply(_summary(draft, language), keyboards.confirm(language))],
        )
    if kind == "ok" and state is State.REPORT_CONFIRM and value in {"send", "no"}:
        if value == "no":
            return _idle(conversation, say("cancelled", language))
        return Outcome(State.IDLE, {}, after=lambda: _submit(conversation, draft, router))
    if kind == "rate":
        code, _, rating = value.rpartition(":")
        if rating in {"1", "2", "3", "4", "5"} and normalize_code(code):
            return Outcome(
                state,
                draft,
                after=lambda: _rate(conversation, code=code, rating=int(rating)),
            )
    if kind == "reopen" and normalize_code(value):
        return await _ask_reopen_reason(conversation, value)
    return _stay(conversation, toast=say("stale_choice", language))


async def _ask_reopen_reason(conversation: Conversation, code: str) -> Outcome:
    language = conversation.language
    report = await owns_report(citizen_id=conversation.citizen.id, tracking_code=code)
    if report is None:
        return _stay(conversation, say("not_yours", language, code=code))
    if report.status != Status.RESOLVED:
        status = status_label(report.status, language)
        return _stay(conversation, say("already_moved", language, code=code, status=status))
    return _leave(
        conversation,
        State.REOPEN_REASON,
        {"reopen": report.tracking_code},
        Reply(
            say("ask_reopen_reason", language, code=report.tracking_code),
            keyboards.cancel_only(language),
        ),
    )


def _summary(draft: dict[str, Any], language: str) -> str:
    none = say("summary_none", language)
    text = draft["text"]
    if len(text) > _SUMMARY_TEXT:
        text = text[:_SUMMARY_TEXT] + "…"
    places = []
    if draft.get("latitude") is not None:
        places.append(say("summary_location", language))
    if draft.get("address"):
        places.append(draft["address"])
    policy = draft.get("policy")
    return say(
        "summary",
        language,
        text=text,
        photos=len(draft.get("photos", [])) or none,
        place=", ".join(places) or none,
        routing=draft.get("department") or say("summary_triage", language),
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
        return [Reply(say("submit_failed", language, problem=error.message(language)), menu)]
    public = await public_report(report["tracking_code"])
    due = when(report["due_at"], language)
    following = (
        say("next_department", language, department=public["department"]["name"], due=due)
        if public["department"]
        else say("next_triage", language, due=due)
    )
    code = report["tracking_code"]
    return [Reply(say("submitted", language, code=code, next=following), menu)]


async def _rate(conversation: Conversation, *, code: str, rating: int) -> list[Reply]:
    language = conversation.language
    actor = Actor(kind=ActorKind.CITIZEN, citizen_id=conversation.citizen.id)
    try:
        report = await close(tracking_code=code, actor=actor, rating=rating)
    except IllegalTransition as error:
        status = status_label(error.status, language)
        return [Reply(say("already_moved", language, code=code, status=status))]
    except (Forbidden, NotFound):
        return [Reply(say("not_yours", language, code=code))]
    return [Reply(say("rated", language, rating=rating, code=report["tracking_code"]))]


async def _reopen(conversation: Conversation, *, code: str, reason: str) -> list[Reply]:
    language = conversation.language
    menu = keyboards.main_menu(language)
    actor = Actor(kind=ActorKind.CITIZEN, citizen_id=conversation.citizen.id)
    try:
        await reopen(tracking_code=code, reason=reason, actor=actor)
    except IllegalTransition as error:
        status = status_label(error.status, language)
        return [Reply(say("already_moved", language, code=code, status=status), menu)]
    except (Forbidden, NotFound):
        return [Reply(say("not_yours", language, code=code), menu)]
    except InvalidInput as error:
        return [Reply(error.message(language), menu)]
    return [Reply(say("reopened", language, code=code), menu)]


# --- what the citizen can look up ----------------------------------------------------


async def _link_staff_chat(conversation: Conversation, code: str) -> str:
    language = conversation.language
    if not code:
        return say("link_usage", language)
    linked = await link_chat(code=code, chat_id=conversation.chat_id)
    if linked is None:
        return say("link_refused", language)
    return say("linked", language, name=linked.full_name)


async def _status_text(code: str, language: str) -> str:
    try:
        report = await public_report(code)
    except NotFound as error:
        return error.message(language)
    lines = []
    for event in report["timeline"][-_TIMELINE:]:
        line = f"• {when(event['at'], language)} — {event_label(event['event'], language)}"
        if event["department"] and event["event"] in {"routed", "rerouted"}:
            line += f": {event['department']['name']}"
        if event["note"]:
            line += f"\n  {event['note']}"
        lines.append(line)
    department = report["department"]["name"] if report["department"] else "-"
    return say(
        "status",
        language,
        code=report["tracking_code"],
        status=status_label(report["status"], language),
        department=department,
        due=when(report["due_at"], language),
        timeline="\n".join(lines),
    )


async def _my_reports_text(conversation: Conversation) -> str:
    language = conversation.language
    rows = await own_reports(citizen_id=conversation.citizen.id)
    if not rows:
        return say("my_reports_empty", language)
    lines = []
    for row in rows:
        snippet = row.text if len(row.text) <= _SNIPPET else row.text[:_SNIPPET] + "…"
        status = status_label(row.status, language)
        lines.append(f"• {row.tracking_code} — {status}\n  {snippet}")
    return say("my_reports", language, lines="\n".join(lines))


async def _policies_text(language: str) -> str:
    rows = await list_policies(include_revoked=False)
    if not rows:
        return say("policies_empty", language)
    lines = [f"• {policy.code}: {policy.title}" for policy in rows]
    return say("policies", language, lines="\n".join(lines))
