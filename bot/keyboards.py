"""The bot's keyboards. Reply keyboards carry the menu and the steps that take text, photos
or a location; inline buttons carry choices, their data naming the step they belong to so a
press on an old message is recognised as stale."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.texts import button
from core.reports.lifecycle import RATINGS


def main_menu(language: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [button("report", language), button("status", language)],
            [button("mine", language), button("policies", language)],
            [button("help", language), button("language", language)],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


def after_urgent(language: str) -> ReplyKeyboardMarkup:
    """The menu, with a button to share where the urgent report just sent happens."""
    menu = main_menu(language)
    share = KeyboardButton(button("share_location", language), request_location=True)
    return ReplyKeyboardMarkup([[share], *menu.keyboard], resize_keyboard=True, is_persistent=True)


def cancel_only(language: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup([[button("cancel", language)]], resize_keyboard=True)


def details(language: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(button("share_location", language), request_location=True)],
            [button("next", language), button("cancel", language)],
        ],
        resize_keyboard=True,
    )


def _inline(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def languages() -> InlineKeyboardMarkup:
    return _inline([[("Bahasa Indonesia", "lang:id"), ("English", "lang:en")]])


def policy_link(language: str) -> InlineKeyboardMarkup:
    return _inline(
        [[(button("policy_yes", language), "pol:yes"), (button("policy_no", language), "pol:no")]]
    )


def stances(language: str) -> InlineKeyboardMarkup:
    return _inline(
        [
            [(button("objection", language), "st:objection")],
            [(button("suggestion", language), "st:suggestion")],
            [(button("support", language), "st:support")],
        ]
    )


def privacy(language: str) -> InlineKeyboardMarkup:
    return _inline([[(button(choice, language), f"pv:{choice}")] for choice in PRIVACY_CHOICES])


def confirm(language: str) -> InlineKeyboardMarkup:
    return _inline([[(button("send", language), "ok:send"), (button("cancel", language), "ok:no")]])


def add_typed(language: str) -> InlineKeyboardMarkup:
    return _inline([[(button("add_typed", language), "add:typed")]])


def rate_or_reopen(tracking_code: str, language: str) -> InlineKeyboardMarkup:
    """Under a 'resolved' notification: a rating closes the report, 'not fixed' reopens it."""
    return _inline(
        [
            [(f"{n} ⭐", f"rate:{tracking_code}:{n}") for n in RATINGS[:3]],
            [(f"{n} ⭐", f"rate:{tracking_code}:{n}") for n in RATINGS[3:]],
            [(button("not_fixed", language), f"reopen:{tracking_code}")],
        ]
    )


def join_case(tracking_code: str, case: str, language: str) -> InlineKeyboardMarkup:
    """Under a new report's receipt: join the open case it likely repeats."""
    return _inline([[(button("join_case", language), f"join:{tracking_code}:{case}")]])


PRIVACY_CHOICES = ("public", "anonymous", "confidential")
