"""Secrets shown to a person once and kept only as their SHA-256: API keys, staff link
codes, report follow-up keys.

A plain hash is enough (unlike passwords): each secret is random, so there is nothing to
guess from a word list, and a fast hash keeps each check cheap.
"""

from __future__ import annotations

import hashlib
import secrets

from core.readable import ALPHABET


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def readable(length: int) -> str:
    """A random secret a person can read and type: no look-alike characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
