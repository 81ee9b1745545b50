"""Password hashing with scrypt from the standard library (memory-hard, salted).

One scrypt takes tens of milliseconds of CPU; done on the event loop it stalls every other
request for that long (eight sign-in loops took /health from 21 ms to over a second). So
hashing and checking run in a small pool of threads of their own (hashlib releases the GIL
while it works), two at a time: sign-ins wait for each other, never the rest of the app.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from concurrent.futures import ThreadPoolExecutor

from core.errors import InvalidInput
from i18n import N_

MIN_PASSWORD = 10

_N, _R, _P = 2**14, 8, 1
# A process-wide pool rather than a per-loop limiter: tests and the bot run several loops.
_HASHING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scrypt")


def require_long_enough(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            N_("Kata sandi minimal %(min_password)s karakter."),
            min_password=MIN_PASSWORD,
            field="password",
        )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _hash(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def _verify(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, _hash, password)


async def verify_password(password: str, stored: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, _verify, password, stored)


# Checked when there is no real hash to check against (unknown user, refused attempt), so
# every refusal costs one scrypt and response times do not tell the cases apart.
DUMMY_HASH = _hash("not-a-real-password")
