"""Rules every value from outside obeys, whichever door it came through and whatever field
it fills: no NUL (PostgreSQL refuses it in text, so it would fail deep in a query), no control
characters in paths and query strings, none but tabs and line breaks in text, web addresses
of one shape, whole numbers written with the digits 0–9 only, and dates within years Python
can move, and email addresses of one shape."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from core.errors import InvalidInput
from i18n import N_

# C0 control characters and DEL: no person types them into an address bar.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# In text a person writes, tabs and line breaks are ordinary; the rest are not typed.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")


def _refused(field: str | None) -> InvalidInput:
    return InvalidInput(
        N_("Karakter kontrol (seperti NUL) tidak diizinkan."),
        field=field,
    )


def has_control(value: str) -> bool:
    """For one line of text (a path, a query parameter, a name): any control character."""
    return bool(_CONTROL.search(value))


def refuse_control(value: str, *, field: str | None) -> None:
    """For paths and query parameters: one line of printable text."""
    if has_control(value):
        raise _refused(field)


def refuse_nul(value: str, *, field: str | None) -> None:
    """For body values, where tabs and line breaks are ordinary. (A lone surrogate, the other
    text PostgreSQL cannot store, never gets this far: msgspec refuses it in JSON, and forms
    decode bad UTF-8 to replacement characters.)"""
    if "\x00" in value:
        raise _refused(field)


def has_control_in_text(value: str) -> bool:
    """For text fields (a report, a name, a scope): control characters other than tabs and
    line breaks. The caller says what the field is in its own message."""
    return bool(_CONTROL_IN_TEXT.search(value))


# A web address given to the city (a policy's legal text, a photo's link, a department's
# webhook): http or https, a host, no spaces or control characters (non-ASCII characters
# percent-encoded, as browsers send them), at most MAX_URL characters.
MAX_URL = 500
_URL_CHARACTERS = re.compile(r"^[\x21-\x7e]+$")


def bad_web_address(field: str) -> InvalidInput:
    return InvalidInput(
        N_(
            "%(field)s: alamat web harus diawali http:// atau https://, dengan nama host, tanpa "
            "spasi, paling panjang %(max_url)s karakter."
        ),
        max_url=MAX_URL,
        field=field,
    )


def web_address(raw: str | None, *, field: str) -> str | None:
    """The address, trimmed; None when empty."""
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > MAX_URL or not _URL_CHARACTERS.match(value):
        raise bad_web_address(field)
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise bad_web_address(field)
    return value


MAX_EMAIL = 254  # RFC 5321's longest path
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email_address(value: str) -> bool:
    """Whether `value` (trimmed) has the shape of an email address: one @, a dot after it."""
    return len(value) <= MAX_EMAIL and bool(_EMAIL.match(value)) and not has_control(value)


def whole_number(raw: str) -> int | None:
    """`raw` as a whole number, or None when it is not one written in 0–9 ("²".isdigit() is
    true, yet int("²") fails)."""
    return int(raw) if _DIGITS.fullmatch(raw) else None


# Years far enough from the ends of Python's calendar (1 and 9999) that moving a moment to
# another time zone, or adding a span of days to it, never overflows.
YEARS = range(1900, 3000)


def refuse_far_date(value: date, *, field: str) -> None:
    """For dates and date-times from outside (a datetime is a date too)."""
    if value.year not in YEARS:
        first, last = YEARS[0], YEARS[-1]
        raise InvalidInput(
            N_("%(field)s: tahun harus antara %(first)s dan %(last)s."),
            first=first,
            last=last,
            field=field,
        )
