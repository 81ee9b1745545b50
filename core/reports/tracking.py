"""Tracking codes a citizen can read over the phone: MLG-7K3Q9X.

Six characters of the readable alphabet (core/readable.py) give 23**6 ≈ 148 million codes,
so random codes rarely collide even at millions of reports; the database's unique index
catches the rare collision.
"""

from __future__ import annotations

import re
import secrets

from core.errors import NotFound
from core.readable import ALPHABET, compact
from i18n import N_

PREFIX = "MLG"
LENGTH = 6
_CODE = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return f"{PREFIX}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_in_message(raw: str) -> str | None:
    """The code a citizen means when they send only a code, unasked: with its prefix
    ('mlg 7k3q9x') or with a digit among its letters ('7K3Q9X'). A bare word of six letters
    ('mampet') is a word, not a code, even when its letters are the alphabet's."""
    code = normalize_code(raw)
    if code is None:
        return None
    typed = compact(raw)
    if typed.startswith(PREFIX) or any(char.isdigit() for char in typed):
        return code
    return None


def normalize_code(raw: str) -> str | None:
    """Accept what people type ('mlg 7k3q9x', 'MLG7K3Q9X'); None when it cannot be a code."""
    typed = compact(raw)
    if typed.startswith(PREFIX):
        typed = typed[len(PREFIX) :]
    code = f"{PREFIX}-{typed}"
    return code if _CODE.match(code) else None


def report_not_found(tracking_code: str) -> NotFound:
    return NotFound(
        N_("Laporan '%(tracking_code)s' tidak ditemukan."),
        tracking_code=tracking_code,
        field="tracking_code",
    )
