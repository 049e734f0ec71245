"""A Redis cache that never makes a request wait on a hung or absent Redis.

Short socket timeouts (``YILU_REDIS_SOCKET_TIMEOUT``) bound one call; after a
failure the cache is skipped in this process for ``YILU_REDIS_RETRY_AFTER``
seconds, so a frozen Redis costs one request one timeout, not every call of every
request. While skipped, reads miss and writes are dropped: rate limits let the
request through (fail open) and the database stays the source of truth.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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

    def _guarded(self, name, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
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
