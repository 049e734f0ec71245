"""The client's address for rate limits: X-Forwarded-For only from trusted proxies.

``X-Forwarded-For`` is whatever the client typed, plus one address appended by each
proxy on the way. It is read only when the connection comes from an address in
``YILU_TRUSTED_PROXIES`` (our own reverse proxy), and then only the entry our
``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies appended: ``ips[-count]``. Anything else
(a direct connection, a malformed header, fewer entries than proxies) falls back to
``REMOTE_ADDR``, which a client cannot choose.
"""

import ipaddress

from django.conf import settings


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _address(address)
    if ip is None:
        return False
    return any(
        ip in ipaddress.ip_network(network, strict=False)
        for network in settings.YILU_TRUSTED_PROXIES
    )


def client_ip(request) -> str:
    """The address of the client as our own proxies saw it; never a client-chosen value."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if count <= 0 or not forwarded or not is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < count:
        return remote
    candidate = _address(hops[-count])
    return str(candidate) if candidate is not None else remote
