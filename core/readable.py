"""Codes people read aloud and type back: tracking codes, follow-up keys, staff link codes.

The alphabet leaves out characters that look or sound alike (0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B).
"""

from __future__ import annotations

import re

ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"


def compact(raw: str) -> str:
    """A code as people type it ('k7qx 3m9a', 'mlg-7k3q9x'), upper case without separators."""
    return re.sub(r"[\s\-_.]", "", raw.strip().upper())
