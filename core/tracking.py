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


def normalize_code(raw: str) -> str | None:
    """Accept what people type ('mlg 7k3q9x', 'MLG7K3Q9X'); None when it cannot be a code."""
    compact = re.sub(r"[\s\-_.]", "", raw.strip().upper())
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    code = f"{PREFIX}-{compact}"
    return code if _CODE.match(code) else None
