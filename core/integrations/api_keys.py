"""API keys for other systems that submit reports through Open311.

A key is 32 random bytes, shown once when an admin issues it; only its SHA-256 is stored. A
plain hash is enough here (unlike passwords): the key has 256 bits of entropy, so there is
nothing to guess, and a fast hash keeps each submission cheap.
"""

from __future__ import annotations

import secrets

import msgspec

from core import clock
from core.errors import InvalidInput, NotFound
from core.input_rules import has_control
from core.integrations.models import ApiKeyHolder, ApiKeyView
from core.shown_once import digest
from core.staff.actors import Actor
from core.staff.permissions import require_admin
from db.tables import ApiKey
from i18n import N_

KEY_PREFIX = "ik_"
_SHOWN_PREFIX = 10
NAME_LENGTH = (3, 100)
_LIST_COLUMNS = (
    ApiKey.id,
    ApiKey.name,
    ApiKey.prefix,
    ApiKey.active,
    ApiKey.created_at,
    ApiKey.revoked_at,
)


async def issue_api_key(*, name: str, actor: Actor) -> tuple[ApiKeyView, str]:
    """A new key for the system called `name`: (its record, the key itself, to show once)."""
    require_admin(actor)
    cleaned = name.strip()
    low, high = NAME_LENGTH
    if not low <= len(cleaned) <= high or has_control(cleaned):
        raise InvalidInput(
            N_("Nama kunci %(low)s–%(high)s karakter, tanpa karakter kontrol."),
            low=low,
            high=high,
            field="name",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    rows = await ApiKey.insert(
        ApiKey(
            name=cleaned,
            prefix=key[:_SHOWN_PREFIX],
            key_hash=digest(key),
            active=True,
            created_at=clock.now(),
        )
    ).returning(*_LIST_COLUMNS)
    return msgspec.convert(rows[0], ApiKeyView), key


async def authenticate_api_key(key: str | None) -> ApiKeyHolder | None:
    """The system whose active key `key` is, or None for a missing, unknown or revoked key."""
    if not key or len(key) > 200:
        return None
    row = (
        await ApiKey.select(ApiKey.id, ApiKey.name)
        .where((ApiKey.key_hash == digest(key)) & (ApiKey.active == True))  # noqa: E712
        .first()
    )
    return None if row is None else ApiKeyHolder(**row)


async def list_api_keys() -> list[ApiKeyView]:
    rows = await ApiKey.select(*_LIST_COLUMNS).order_by(ApiKey.id)
    return msgspec.convert(rows, list[ApiKeyView])


async def revoke_api_key(*, key_id: int, actor: Actor) -> None:
    require_admin(actor)
    """A revoked key is refused from then on; its row stays, since requests point at it."""
    updated = (
        await ApiKey.update({ApiKey.active: False, ApiKey.revoked_at: clock.now()})
        .where((ApiKey.id == key_id) & (ApiKey.active == True))  # noqa: E712
        .returning(ApiKey.id)
    )
    if not updated and not await ApiKey.exists().where(ApiKey.id == key_id):
        raise NotFound(N_("Kunci API tidak ditemukan."), field="key")
