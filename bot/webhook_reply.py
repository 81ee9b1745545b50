"""A button's answer (its toast) carried on the webhook's own HTTP response.

Telegram performs one Bot API method given in the response to a webhook request, so in
webhook mode the answerCallbackQuery that every button press needs costs no round trip of its
own: a fifth of the bot's calls to Telegram in a report's conversation. Its result is not
known, which a toast can do without. Long polling has no response to carry it: the answer is
then a call of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery


@dataclass
class _Carrier:
    method: dict[str, Any] | None = None


# Set while a webhook update is handled: the handler runs in the webhook request's task.
_CARRIER: ContextVar[_Carrier | None] = ContextVar("webhook_reply", default=None)


@contextmanager
def carried() -> Iterator[_Carrier]:
    """While the webhook handles one update: what its response should carry, if anything."""
    carrier = _Carrier()
    token = _CARRIER.set(carrier)
    try:
        yield carrier
    finally:
        _CARRIER.reset(token)


async def answer(query: CallbackQuery, text: str | None) -> None:
    """Answer a pressed button: on the webhook's response when there is one to carry it."""
    carrier = _CARRIER.get()
    if carrier is None or carrier.method is not None:
        await query.answer(text)
        return
    carrier.method = {"method": "answerCallbackQuery", "callback_query_id": query.id}
    if text:
        carrier.method["text"] = text
