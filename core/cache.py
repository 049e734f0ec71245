"""A Redis cache that never makes a request wait on a hung or absent Redis.

Short socket timeouts (``YILU_REDIS_SOCKET_TIMEOUT``) bound one call; after a
failure the cache is skipped in this process for ``YILU_REDIS_RETRY_AFTER``
seconds, so a frozen Redis costs one request one timeout, not every call of every
request. While skipped, reads miss and writes are dropped: rate limits let the
request through (fail open) and the database stays the source of truth.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.translation import get_language
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("core.cache")

_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """One ``redis.Redis`` a connection pool, reused: Django builds a new one for every
    call, which costs more than the round trip itself (a page-cache hit makes one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", 30.0))
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0

    def validate_key(self, key):
        """Redis keys are binary-safe: Django's check warns about memcached's limits only,
        one character at a time (a page-cache hit makes up to eleven keys)."""

    def _guarded(self, name, default, *args, **kwargs):
        return self._shielded(default, getattr(super(), name), *args, **kwargs)

    def _shielded(self, default, call, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return call(*args, **kwargs)
        except _FAILURES as exc:
            self._down_until = time.monotonic() + self.retry_after
            logger.warning(
                "cache: Redis unavailable (%s); skipped for %s s",
                type(exc).__name__,
                self.retry_after,
            )
            return default

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def set(self, key, value, timeout=None, version=None):  # noqa: A003
        return self._guarded("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._guarded("add", True, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", delta, key, delta, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guarded("set_many", [], data, timeout, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def touch(self, key, timeout=None, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def clear(self):
        return self._guarded("clear", False)

    def count_hits(self, counters: dict[str, int], version=None) -> dict[str, int]:
        """Add one to each counter (``{key: timeout}``; made at 0 for ``timeout`` seconds
        when absent) in one round trip; the new counts. While Redis is skipped: ones, so
        limits fail open."""
        made = {self.make_and_validate_key(key, version=version): key for key in counters}
        counts = self._shielded(
            [1] * len(made),
            self._count_hits,
            {made_key: int(counters[key]) for made_key, key in made.items()},
        )
        return dict(zip(made.values(), counts, strict=True))

    def _count_hits(self, timeouts: dict[str, int]) -> list[int]:
        # What add() then incr() do (SET NX EX, INCR), for every key in one MULTI/EXEC.
        pipeline = self._cache.get_client(None, write=True).pipeline()
        for key, timeout in timeouts.items():
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
        return pipeline.execute()[1::2]


def count_hits(counters: dict[str, int]) -> dict[str, int]:
    """Count one hit on each counter of the default cache, ``{key: timeout}``; the counts.

    A counter starts at 0 and lives ``timeout`` seconds from its first hit. On Redis
    (``ResilientRedisCache``) one round trip for all of them; on another cache (local
    memory) an ``add`` and an ``incr`` each.
    """
    counter = getattr(cache, "count_hits", None)
    if counter is not None:
        return counter(counters)
    counts = {}
    for key, timeout in counters.items():
        cache.add(key, 0, timeout=timeout)
        try:
            counts[key] = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            counts[key] = 1
    return counts


def cached_by_content(kind: str, content, compute, seconds: int = 7 * 24 * 3600) -> str:
    """``compute()``'s result for ``content``, computed once and then read from the cache.

    The key is a digest of ``kind``, the active language and ``repr(content)``, so new
    content is a new key and nothing is ever stale (for output that depends only on its
    content: chart SVG). ``content`` must have a stable ``repr`` (strings, numbers,
    Decimals, dates, tuples and lists of them).
    """
    what = repr((kind, get_language(), content)).encode()
    key = f"content:{kind}:{hashlib.sha256(what).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
