"""The Redis cache backend (core.cache): one client a pool, built once."""

from core.cache import ResilientRedisCache


def test_the_redis_client_is_built_once_and_reused():
    backend = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"retry_after": 1}})
    first = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is first
    assert backend._cache.get_client("c", write=True) is first  # one server: one pool


def test_cached_by_content_computes_once_per_content_and_language():
    from django.core.cache import cache
    from django.utils import translation

    from core.cache import cached_by_content

    cache.clear()
    computed = []

    def compute(text):
        return lambda: computed.append(text) or f"<svg>{text}</svg>"

    with translation.override("zh-hans"):
        assert cached_by_content("chart", [("2025", 1)], compute("a")) == "<svg>a</svg>"
        assert cached_by_content("chart", [("2025", 1)], compute("b")) == "<svg>a</svg>"
        assert cached_by_content("chart", [("2025", 2)], compute("c")) == "<svg>c</svg>"
        assert cached_by_content("other", [("2025", 1)], compute("d")) == "<svg>d</svg>"
    with translation.override("en"):
        assert cached_by_content("chart", [("2025", 1)], compute("e")) == "<svg>e</svg>"
    assert computed == ["a", "c", "d", "e"]
