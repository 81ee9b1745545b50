"""From a Telegram update to a step of the conversation, and the answers back.

One handler takes every update, so the bot decides in one place what it answers to: private
chats get the conversation, groups get a pointer to the private chat, everything else is
left alone. Errors end in `on_error`, which logs without personal data and apologises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot import flow, state, webhook_reply
from bot.flow import Incoming
from i18n import LANGUAGES, gettext

logger = logging.getLogger("ingatkan.bot")

# Two messages of one citizen racing on two replicas settle in one retry; three is plenty.
_STEP_ATTEMPTS = 3
_UNSUPPORTED = (
    "sticker",
    "voice",
    "audio",
    "video_note",
    "video",
    "animation",  # before document: Telegram sends a GIF as both
    "document",
    "contact",
    "poll",
    "dice",
)


class ConversationBusy(RuntimeError):
    """The conversation kept moving under this update; it was not handled."""


def incoming_from(update: Update) -> Incoming | None:
    """What the citizen sent, or None for updates that need no answer."""
    if update.edited_message:
        return Incoming("edited")
    if update.callback_query:
        return Incoming("callback", data=update.callback_query.data or "")
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        if message.text.startswith("/"):
            head, _, rest = message.text.partition(" ")
            command = head[1:].split("@", 1)[0].lower()
            return Incoming("command", command=command, text=rest)
        return Incoming("text", text=message.text, sent_at=int(message.date.timestamp()))
    if message.photo:
        return Incoming("photo", photo=message.photo[-1].file_id, text=message.caption or "")
    if message.venue:
        point = message.venue.location
        return Incoming(
            "location",
            latitude=point.latitude,
            longitude=point.longitude,
            address=message.venue.address,
        )
    if message.location:
        point = message.location
        return Incoming("location", latitude=point.latitude, longitude=point.longitude)
    kind = next((kind for kind in _UNSUPPORTED if getattr(message, kind)), "other")
    return Incoming("unsupported", text=kind)


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None:  # inline queries, polls, chat-member changes: nothing to answer
        return
    if chat.type != ChatType.PRIVATE:
        await _outside_private_chat(update, context)
        return
    incoming = incoming_from(update)
    if incoming is None:
        return
    router = context.bot_data["router"]
    sender = update.effective_user
    language_code = sender.language_code if sender else None
    for _ in range(_STEP_ATTEMPTS):
        conversation = await state.load(chat_id=chat.id, language_code=language_code)
        if update.update_id in conversation.seen:
            return  # Telegram delivered this update again; it was answered the first time
        outcome = await flow.step(conversation, incoming, router=router)
        saved = await state.save(
            conversation,
            state=outcome.state,
            draft=outcome.draft,
            update_id=update.update_id,
            language=outcome.language,
        )
        if saved:
            break
    else:
        raise ConversationBusy(f"update {update.update_id} kept losing to other updates")
    replies = list(outcome.replies)
    if outcome.after:
        replies += await outcome.after()

    async def send_replies() -> None:
        for reply in replies:  # one after the other: the citizen reads them in this order
            await context.bot.send_message(chat.id, reply.text, reply_markup=reply.markup)

    query = update.callback_query
    if query is None:
        await send_replies()
        return
    # The toast and the buttons' removal need no order with the replies: at once, each a
    # round trip to Telegram the citizen no longer waits for in turn (the toast none, in
    # webhook mode: it rides on the webhook's response).
    await asyncio.gather(
        webhook_reply.answer(query, outcome.toast), _drop_buttons(query), send_replies()
    )


async def _drop_buttons(query: CallbackQuery) -> None:
    """A choice is made once: its buttons go, so an old message cannot be pressed again."""
    # Telegram refuses to edit messages that are too old or already without buttons.
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


async def _outside_private_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group, answer only a command (someone is asking the bot), and point to the
    private chat; reports made in a group would expose the reporter."""
    message = update.message
    if message and message.text and message.text.startswith("/"):
        await message.reply_text(
            gettext(
                "id",
                "Laporan hanya dapat dibuat lewat chat pribadi dengan saya: "
                "https://t.me/%(username)s\nReports can only be made in a private chat with me.",
                username=context.bot.username,
            )
        )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer()
        if chat and chat.type == ChatType.PRIVATE:
            apology = "\n".join(
                gettext(language, "Maaf, terjadi gangguan di pihak kami. Coba lagi sebentar lagi.")
                for language in LANGUAGES
            )
            await context.bot.send_message(chat.id, apology)
