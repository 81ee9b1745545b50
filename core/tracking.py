"""Tracking codes a citizen can read over the phone: MLG-7K3Q9X.

The alphabet leaves out characters that look or sound alike (0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B).
Six characters give 23**6 ≈ 148 million codes, so random codes rarely collide even at
millions of reports; the database's unique index catches the rare collision.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "MLG"
ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
LENGTH = 6
_CODE = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return f"{PREFIX}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def compact(raw: str) -> str:
    """A code as people type it ('k7qx 3m9a', 'mlg-7k3q9x'), upper case without separators."""
    return re.sub(r"[\s\-_.]", "", raw.strip().upper())


def normalize_code(raw: str) -> str | None:
    """Accept what people type ('mlg 7k3q9x', 'MLG7K3Q9X'); None when it cannot be a code."""
    typed = compact(raw)
    if typed.startswith(PREFIX):
        typed = typed[len(PREFIX) :]
    code = f"{PREFIX}-{typed}"
    return code if _CODE.match(code) else None
