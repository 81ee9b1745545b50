"""Updates of many citizens handled at once, each citizen's updates in the order they came.

PTB handles one update at a time unless told otherwise; a crowd writing at once then waits in
one line behind every database write and every answer. `ChatOrder` lets updates of different
chats run side by side, up to `MAX_CONCURRENT_UPDATES`, while the updates of one chat wait
for each other in arrival order (asyncio locks are fair), so a citizen's "Send" is never
handled before the text it sends. Across replicas the conversation's compare-and-set
(bot/state.py) keeps the state safe; this only spares one replica those retries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Most of an update's time is spent waiting for Telegram (a round trip from the city's
# network to api.telegram.org takes 50 to 300 ms, two or three of them per update), so many
# run at once; the database pool (20 connections) queues their short turns at the database.
MAX_CONCURRENT_UPDATES = 64


class ChatOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        # One lock per chat with updates in hand, and how many updates hold or await it.
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:  # nothing to keep in order with
            await coroutine
            return
        lock, holders = self._locks.get(chat.id, (asyncio.Lock(), 0))
        self._locks[chat.id] = (lock, holders + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, holders = self._locks[chat.id]
            if holders == 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, holders - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
