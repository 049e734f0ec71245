"""Small cache counters for public forms (visitor self-registration).

Keys are hashed, so neither an IP address nor a mobile number is stored in
the cache in clear.
"""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

# (attempts, seconds) per key.
VISITOR_SIGNUP_PER_IP = (10, 3600)
VISITOR_SIGNUP_PER_MOBILE = (3, 3600)


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:32]
    return f"events:ratelimit:{scope}:{digest}"


def ratelimit_hit(*, scope: str, value: str, limit: int, period: int) -> bool:
    """Count one attempt; False once ``limit`` attempts were made within ``period`` seconds."""
    key = _key(scope, value)
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The client's address as allauth's login limits see it (ALLAUTH_TRUSTED_PROXY_COUNT)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""
