"""Receipts of messages sent for the outbox (on Telegram one per message part and recipient,
by mail one per message), so a delivery that is retried after a partial success, or after a
send whose outcome was never recorded, sends only what is still missing."""

from __future__ import annotations

import contextlib
import sqlite3

import asyncpg

from core import clock
from db.tables import MailReceipt, TelegramReceipt


async def already_sent(key: str) -> bool:
    return await TelegramReceipt.exists().where(TelegramReceipt.key == key)


async def record_sent(*, key: str, outbox_id: int, telegram_message_id: int | None) -> None:
    # A second worker that raced this one to the same part has recorded it already.
    with contextlib.suppress(asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        await TelegramReceipt.insert(
            TelegramReceipt(
                key=key,
                outbox=outbox_id,
                telegram_message_id=telegram_message_id,
                sent_at=clock.now(),
            )
        )


async def mail_already_sent(outbox_id: int) -> bool:
    return await MailReceipt.exists().where(MailReceipt.outbox == outbox_id)


async def record_mail_sent(*, outbox_id: int, message_id: str) -> None:
    with contextlib.suppress(asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        await MailReceipt.insert(
            MailReceipt(outbox=outbox_id, message_id=message_id, sent_at=clock.now())
        )
