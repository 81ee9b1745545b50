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
