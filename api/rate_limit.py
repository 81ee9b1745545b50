"""The per-client rate limit, one limit however many replicas count it.

Litestar's RateLimitMiddleware reads a client's history from the store and writes it back
under a lock that only this process holds; two replicas taking one client's requests at the
same moment both read the same history and both let a request through, so a burst spread
over replicas got past the limit. With Redis the read, the check and the write are one Lua
script, which Redis runs atomically. Without Redis there is one process, and Litestar's own
lock suffices."""

from __future__ import annotations

from time import time
from typing import Any

from litestar.middleware.rate_limit import (
    DURATION_VALUES,
    CacheObject,
    RateLimitConfig,
    RateLimitMiddleware,
)
from litestar.serialization import decode_json
from litestar.stores.base import Store
from litestar.stores.redis import RedisStore

from config.settings import RateLimit

_ADMIT = """
local now, duration, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local raw = redis.call('GET', KEYS[1])
local seen = raw and cjson.decode(raw)
if not seen or seen['reset'] <= now then seen = {history = {}, reset = now + duration} end
local before = cjson.encode(seen)
if #seen['history'] < limit then
  table.insert(seen['history'], 1, now)
  redis.call('SET', KEYS[1], cjson.encode(seen), 'EX', duration)
end
return before
"""


class SharedRedisStore(RedisStore):
    """A RedisStore that can also count a request against a limit atomically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._admit = self._redis.register_script(_ADMIT)

    async def admit(self, key: str, *, duration: int, limit: int) -> CacheObject:
        """Record a request if the history has room; return the history as it was before."""
        raw = await self._admit(keys=[self._make_key(key)], args=[int(time()), duration, limit])
        seen = decode_json(raw)
        # Lua's JSON encoder writes an empty list as {}
        return CacheObject(history=list(seen["history"] or []), reset=int(seen["reset"]))


class SharedRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's middleware, with the read and the write done as one step in Redis.

    Litestar calls retrieve_cached_history, refuses when the history is full, and otherwise
    calls set_cached_history; on a SharedRedisStore the first call already recorded the
    request (or found no room), so the second only updates the copy the headers are made of.
    """

    async def retrieve_cached_history(self, key: str, store: Store) -> CacheObject:
        if isinstance(store, SharedRedisStore):
            return await store.admit(
                key, duration=DURATION_VALUES[self.unit], limit=self.max_requests
            )
        return await super().retrieve_cached_history(key, store)

    async def set_cached_history(self, key: str, cache_object: CacheObject, store: Store) -> None:
        if isinstance(store, SharedRedisStore):
            cache_object.history = [int(time()), *cache_object.history]
            return
        await super().set_cached_history(key, cache_object, store)


def rate_limit_config(limit: RateLimit) -> RateLimitConfig:
    return RateLimitConfig(
        rate_limit=(limit.unit, limit.requests),  # type: ignore[arg-type]
        exclude=["/health", "/metrics", "/schema", "/telegram/webhook"],
        middleware_class=SharedRateLimitMiddleware,
    )
