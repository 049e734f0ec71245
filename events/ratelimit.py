"""Small cache counters for public forms (visitor self-registration).

Keys are hashed, so neither an IP address nor a mobile number is stored in
the cache in clear.
"""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied

from core.cache import count_hits

# (attempts, seconds) per key.
VISITOR_SIGNUP_PER_IP = (10, 3600)
VISITOR_SIGNUP_PER_MOBILE = (3, 3600)


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:32]
    return f"events:ratelimit:{scope}:{digest}"


def ratelimit_hit(*, scope: str, value: str, limit: int, period: int) -> bool:
    """Count one attempt; False once ``limit`` attempts were made within ``period`` seconds."""
    return ratelimit_hits([(scope, value, limit, period)])


def ratelimit_hits(limits: list[tuple[str, str, int, int]]) -> bool:
    """Count one attempt against each ``(scope, value, limit, period)``, every one of them
    (one cache round trip on Redis); False when any is past its limit."""
    keyed = {_key(scope, value): (limit, period) for scope, value, limit, period in limits}
    counts = count_hits({key: period for key, (_limit, period) in keyed.items()})
    return all(counts[key] <= limit for key, (limit, _period) in keyed.items())


def client_ip(request) -> str:
    """The client's address as allauth's login limits see it (ALLAUTH_TRUSTED_PROXY_COUNT)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""
