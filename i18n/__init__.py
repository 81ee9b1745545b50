"""The one catalogue of texts every channel shows, and the locale's formats.

Messages are Indonesian (the source language); `locale/en/LC_MESSAGES/messages.po` holds the
English. The .po files are the only source: they are compiled in memory at first use, so there
is no build step to forget. Placeholders are `%(name)s`, filled from keyword values.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")
SOURCE_LANGUAGE = "id"
DOMAIN = "messages"


def N_(msgid: str) -> str:
    """Mark a text defined at import time (a constant, a table) for the catalogue; it is
    translated where it is shown."""
    return msgid


def NP_(context: str, msgid: str) -> str:
    """Mark a text of a table that is read in `context` (with `pgettext`)."""
    del context
    return msgid


def language_of(language: str | None) -> str:
    """One of LANGUAGES: anything unknown reads as the source language."""
    return language if language in LANGUAGES else SOURCE_LANGUAGE


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of `language`, read from its .po once per process."""
    language = language_of(language)
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE and not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Text(str):
    """A msgid given as the value of another text's placeholder (a field's name, an action's
    name): shown in the language of the text it fills."""


def _fill(language: str, text: str, values: dict[str, object]) -> str:
    # Always formatted, as Jinja's newstyle gettext does, so a literal percent sign is `%%`
    # in every text alike.
    return text % {
        name: gettext(language, value) if isinstance(value, Text) else value
        for name, value in values.items()
    }


def gettext(language: str, msgid: str, **values: object) -> str:
    return _fill(language, translations(language).gettext(msgid), values)


def pgettext(language: str, context: str, msgid: str, **values: object) -> str:
    return _fill(language, str(translations(language).pgettext(context, msgid)), values)


def _locale(language: str) -> Locale:
    return Locale.parse(language_of(language))


def format_number(language: str, value: float, *, decimals: int | None = None) -> str:
    """'1.234' / '1,234'; with `decimals`, exactly that many digits after the separator."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale(language))


def format_date(language: str, value: date, *, format: str = "long") -> str:
    """'3 Desember 2026' / 'December 3, 2026' (Babel's formats for the language)."""
    return _babel_format_date(value, format=format, locale=_locale(language))


def format_datetime(language: str, value: datetime, *, format: str = "medium") -> str:
    return _babel_format_datetime(value, format=format, locale=_locale(language))
