"""State that several API processes must share: staff sessions and rate-limit counters.

With INGATKAN_REDIS_URL set they live in Redis, one namespace each, so a replica knows what
another one counted or signed in; without it, in this process's memory (the embedded
default, one process)."""

from __future__ import annotations

from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from core.settings import Settings

SESSION_STORE = "sessions"
RATE_LIMIT_STORE = "rate_limit"  # the name Litestar's RateLimitConfig looks up


def shared_stores(settings: Settings) -> dict[str, Store]:
    names = (SESSION_STORE, RATE_LIMIT_STORE)
    if not settings.redis_url:
        return {name: MemoryStore() for name in names}
    from api.rate_limit import SharedRedisStore

    root = SharedRedisStore.with_client(url=settings.redis_url, namespace="ingatkan")
    return {name: root.with_namespace(name) for name in names}
