"""Conversation state in the database, so any replica can take a citizen's next message and
a restart between two messages loses nothing.

Each step is a compare-and-set on the row's version: two replicas handling two messages of
the same citizen at once cannot both move the conversation on from the same state; the
loser reads the new state and takes its step again. The ids of the last updates handled are
kept too, so an update Telegram delivers twice is handled once.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import asyncpg
from piccolo.utils.encoding import dump_json

from core import clock
from core.citizens.models import TelegramCitizen
from core.citizens.telegram import set_language, telegram_citizen
from db.engine import write_transaction
from db.tables import BotConversation

# Telegram redelivers an update only soon after the first attempt; the last few ids suffice.
_REMEMBERED_UPDATES = 20
# Every update reads this: written once, as SQL both engines take, since building it with the
# query builder cost more than the round trip to the database.
_LOAD = (
    "SELECT c.state, c.data, c.version, t.id AS citizen_id, t.language, t.blocked "
    "FROM bot_conversation AS c JOIN citizen AS t ON c.citizen = t.id "
    "WHERE t.telegram_chat_id = {}"
)
# And every update writes this, the step's compare-and-set on the version, the same way.
_MOVE_ON = (
    "UPDATE bot_conversation SET state = {}, data = {}, version = {}, updated_at = {} "
    "WHERE citizen = {} AND version = {} RETURNING id"
)


class State(StrEnum):
    IDLE = "idle"
    REPORT_TEXT = "report_text"
    REPORT_DETAILS = "report_details"
    REPORT_POLICY = "report_policy"
    REPORT_STANCE = "report_stance"
    REPORT_PRIVACY = "report_privacy"
    REPORT_CONFIRM = "report_confirm"
    STATUS_CODE = "status_code"
    REOPEN_REASON = "reopen_reason"
    # An urgent report went out at once; a photo sent now is added to it.
    REPORT_SENT = "report_sent"


@dataclass
class Conversation:
    chat_id: int
    citizen: TelegramCitizen
    state: State
    draft: dict[str, Any]
    seen: list[int] = field(default_factory=list)
    version: int = 0

    @property
    def language(self) -> str:
        return self.citizen.language


async def load(*, chat_id: int, language_code: str | None = None) -> Conversation:
    """The conversation in a private chat, with its citizen: one query once both exist.
    `language_code` is the Telegram app's, for a citizen met for the first time."""
    rows = await BotConversation.raw(_LOAD, chat_id)
    if not rows:
        citizen = await telegram_citizen(chat_id=chat_id, language_code=language_code)
        # A second message of a new citizen may have created the row a moment ago.
        with contextlib.suppress(asyncpg.UniqueViolationError, sqlite3.IntegrityError):
            await BotConversation.insert(
                BotConversation(
                    citizen=citizen.id,
                    state=State.IDLE,
                    data={"draft": {}, "seen": []},
                    version=0,
                    updated_at=clock.now(),
                )
            )
            return Conversation(chat_id=chat_id, citizen=citizen, state=State.IDLE, draft={})
        rows = await BotConversation.raw(_LOAD, chat_id)
        assert rows  # inserted by the message this one raced
    row = rows[0]
    data = row["data"]
    data = (json.loads(data) if isinstance(data, str) else data) or {}
    try:
        state = State(row["state"])
    except ValueError:  # a state a newer or older version of the bot wrote
        state = State.IDLE
    return Conversation(
        chat_id=chat_id,
        citizen=TelegramCitizen(
            id=row["citizen_id"], language=row["language"], blocked=bool(row["blocked"])
        ),
        state=state,
        draft=dict(data.get("draft") or {}),
        seen=list(data.get("seen") or []),
        version=row["version"],
    )


async def save(
    conversation: Conversation,
    *,
    state: State,
    draft: dict[str, Any],
    update_id: int,
    language: str | None = None,
) -> bool:
    """Move the conversation on; False when another message moved it first."""
    seen = [*conversation.seen, update_id][-_REMEMBERED_UPDATES:]
    move_on = BotConversation.raw(
        _MOVE_ON,
        state.value,
        dump_json({"draft": draft, "seen": seen}),
        conversation.version + 1,
        clock.now(),
        conversation.citizen.id,
        conversation.version,
    )
    if not language:
        # One statement is atomic by itself: no transaction's round trips on every message.
        return bool(await move_on)
    async with write_transaction():
        updated = await move_on
        if updated:
            await set_language(citizen_id=conversation.citizen.id, language=language)
    return bool(updated)
