"""State that several API processes must share: staff sessions and rate-limit counters.

With INGATKAN_REDIS_URL set they live in Redis, one namespace each, so a replica knows what
another one counted or signed in; without it, in this process's memory (the embedded
default, one process).

A MemoryStore drops an expired entry only when that key is read again, and most never are
(a session nobody comes back with, a client's rate-limit history), so the app sweeps its
memory stores every few minutes. Redis expires keys by itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from config.settings import Settings

SESSION_STORE = "sessions"
RATE_LIMIT_STORE = "rate_limit"  # the name Litestar's RateLimitConfig looks up


def shared_stores(settings: Settings) -> dict[str, Store]:
    names = (SESSION_STORE, RATE_LIMIT_STORE)
    if not settings.redis_url:
        return {name: MemoryStore() for name in names}
    from api.rate_limit import SharedRedisStore

    root = SharedRedisStore.with_client(url=settings.redis_url, namespace="ingatkan")
    return {name: root.with_namespace(name) for name in names}


SWEEP_EVERY_SECONDS = 5 * 60


async def forget_expired(app: Litestar) -> None:
    """Drop the expired entries of the app's memory stores."""
    for name in (SESSION_STORE, RATE_LIMIT_STORE):
        store = app.stores.get(name)
        if isinstance(store, MemoryStore):
            await store.delete_expired()


@asynccontextmanager
async def sweeping(app: Litestar) -> AsyncIterator[None]:
    """The app's lifespan part that sweeps the memory stores while the app runs."""

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY_SECONDS)
            await forget_expired(app)

    task = asyncio.create_task(sweep_forever())
    try:
        yield
    finally:
        task.cancel()
