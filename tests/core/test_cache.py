"""The Redis cache backend (core.cache): one client a pool, built once."""

from core.cache import ResilientRedisCache


def test_the_redis_client_is_built_once_and_reused():
    backend = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"retry_after": 1}})
    first = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is first
    assert backend._cache.get_client("c", write=True) is first  # one server: one pool
