"""Rules every value from outside obeys, whichever door it came through and whatever field
it fills: no NUL (PostgreSQL refuses it in text, so it would fail deep in a query), no control
characters in paths and query strings, whole numbers written with the digits 0–9 only, and
dates within years Python can move."""

from __future__ import annotations

import re
from datetime import date

from core.errors import InvalidInput

# C0 control characters and DEL: no person types them into an address bar.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")


def _refused(field: str | None) -> InvalidInput:
    return InvalidInput(
        "Karakter kontrol (seperti NUL) tidak diizinkan.",
        "Control characters (such as NUL) are not allowed.",
        field=field,
    )


def refuse_control(value: str, *, field: str | None) -> None:
    """For paths and query parameters: one line of printable text."""
    if _CONTROL.search(value):
        raise _refused(field)


def refuse_nul(value: str, *, field: str | None) -> None:
    """For body values, where tabs and line breaks are ordinary. (A lone surrogate, the other
    text PostgreSQL cannot store, never gets this far: msgspec refuses it in JSON, and forms
    decode bad UTF-8 to replacement characters.)"""
    if "\x00" in value:
        raise _refused(field)


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
            f"{field}: tahun harus antara {first} dan {last}.",
            f"{field}: the year must be between {first} and {last}.",
            field=field,
        )
