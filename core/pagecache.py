"""Whole public pages cached for anonymous visitors, invalidated by the writes.

A page declares the namespaces it reads (``"events"``, ``"organisations"``, ...):
``PublicPageCacheMixin`` on a class-based view (``page_cache_namespaces``) or
``cache_public_page(*namespaces)`` around any view. Its key joins the language, the
host and the full path with its query string; the entry keeps the version of each
namespace it was rendered under and is served only while all of them are current, so
a write never has to find the pages it changed: the service that writes calls
``page_cache_bump("events")`` inside its transaction, the namespace gets a new
version when the transaction commits, and every page reading it misses from then on
(and is stored afresh). The versions and the page come in one cache round trip.

Two middlewares serve a page already stored, for paths whose view has stored or served
one in this process. ``PageCacheFrontMiddleware`` (first in ``MIDDLEWARE``) serves a
visitor who carries no session and no messages before any other middleware runs, so a
hit costs less than the bare view; it also stores every page, with the headers the
other middlewares gave it, so what it serves is what they would have sent.
``PageCacheMiddleware`` (last) serves the anonymous visitors who do carry a session
cookie, after the session and authentication middlewares have looked at it.

Never cached: logged-in visitors; anything but a 200 ``GET``/``HEAD``; a visitor
with messages waiting; a response that sets a cookie, reads or changes the
session, or renders a CSRF token (a form). Served from the cache, a page runs no
query. ``YILU_PAGE_CACHE_SECONDS`` (0 turns it off) bounds how long a page
waits for what no write announces: an event that started, a closed sign-up.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.language import chosen_language

_VERSION_KEY = "pagecache:v:{}"
_PAGE_KEY = "pagecache:p:{}"
_FRAGMENT_KEY = "pagecache:f:{}"
# Path to the namespaces of the cached view that answers it, learned in this process;
# bounded, since paths come from visitors (only pages actually stored are remembered).
_ROUTES: dict[str, tuple[str, ...]] = {}
_ROUTES_MAX = 5000
_CACHED_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "X-Robots-Tag")
# A visitor carrying either cookie may be logged in or have a message waiting: only the
# middleware behind the session and authentication middlewares may serve them.
_MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage.cookie_name

# Every namespace a service may bump; the home page and admin writes use them all.
NAMESPACES = (
    "organisations",
    "alliances",
    "events",
    "funds",
    "volunteers",
    "caravan",
    "festival",
    "catalogue",
    "news",
    "streets",
)


def page_cache_seconds() -> int:
    return int(getattr(settings, "YILU_PAGE_CACHE_SECONDS", 0) or 0)


def fragment_cache_seconds() -> int:
    """How long ``fragments_cached`` keeps a value at most (0: computed every time)."""
    return int(getattr(settings, "YILU_FRAGMENT_CACHE_SECONDS", 0) or 0)


def page_cache_bump(*namespaces: str) -> None:
    """Every page reading one of these namespaces misses once the transaction commits."""
    unknown = set(namespaces) - set(NAMESPACES)
    if unknown:
        raise ValueError(f"unknown page cache namespaces: {sorted(unknown)}")

    def bump() -> None:
        cache.set_many({_VERSION_KEY.format(name): _token() for name in namespaces}, None)

    transaction.on_commit(bump)


def page_cache_bump_all() -> None:
    page_cache_bump(*NAMESPACES)


def _token() -> str:
    return uuid.uuid4().hex[:12]


def _version_keys(namespaces: tuple[str, ...]) -> list[str]:
    return [_VERSION_KEY.format(name) for name in sorted(set(namespaces))]


def _versions_filled(found: dict, keys: list[str]) -> bool:
    """Complete ``found`` with the version keys it lacks; False when the cache is down.

    A namespace never bumped (or evicted) starts at a fresh version, so no page cached
    before an eviction can come back.
    """
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), None)
        found.update(cache.get_many(missing))
    return all(key in found for key in keys)


def _lookup(
    request: HttpRequest, namespaces: tuple[str, ...], language: str | None = None
) -> tuple[str | None, tuple | None]:
    """The namespaces' current versions (None when the cache is unavailable) and the stored
    page when it was rendered under exactly those versions: one cache round trip."""
    keys = _version_keys(namespaces)
    page_key = _page_key(request, language)
    found = cache.get_many([*keys, page_key])
    if not _versions_filled(found, keys):
        return None, None
    versions = ".".join(found[key] for key in keys)
    entry = found.get(page_key)
    if entry is not None and entry[0] == versions:
        return versions, entry[1]
    return versions, None


def namespace_versions(namespaces: Iterable[str]) -> dict[str, str] | None:
    """Each namespace's current version (one round trip), or None when the cache is down."""
    names = sorted(set(namespaces))
    keys = _version_keys(tuple(names))
    found = cache.get_many(keys)
    if not _versions_filled(found, keys):
        return None
    return {name: found[key] for name, key in zip(names, keys, strict=True)}


def fragments_cached(
    fragments: dict[str, tuple[tuple[str, ...], Callable[[], object]]], seconds: int
) -> dict[str, object]:
    """``{name: compute()}``, each value kept ``seconds`` and reused while none of the
    namespaces it reads has been bumped: the same versions as the public pages, so the
    writes that refresh a page refresh a fragment too (two round trips, one write).

    A name must say everything the value depends on besides those namespaces (filters,
    language, the day). ``seconds`` bounds what no write announces; 0 computes every time.
    """
    if seconds <= 0 or not fragments:
        return {name: compute() for name, (_reads, compute) in fragments.items()}
    versions = namespace_versions(ns for reads, _compute in fragments.values() for ns in reads)
    if versions is None:
        return {name: compute() for name, (_reads, compute) in fragments.items()}
    keys = {}
    for name, (reads, _compute) in fragments.items():
        stamp = ".".join(versions[ns] for ns in sorted(set(reads)))
        digest = hashlib.sha256(f"{name}|{stamp}".encode()).hexdigest()[:32]
        keys[name] = _FRAGMENT_KEY.format(digest)
    stored = cache.get_many(list(keys.values()))
    values, fresh = {}, {}
    for name, (_reads, compute) in fragments.items():
        if keys[name] in stored:
            values[name] = stored[keys[name]]
        else:
            values[name] = fresh[keys[name]] = compute()
    if fresh:
        cache.set_many(fresh, seconds)
    return values


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # len() neither marks the messages read nor drops them.
    return not len(get_messages(request))


def _page_key(request: HttpRequest, language: str | None = None) -> str:
    """One key a page and language; the entry holds the versions it was rendered under.

    ``language`` defaults to the active one: pass it where the locale middleware has not
    run yet (a thread keeps the language of its previous request until then).
    """
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    return _PAGE_KEY.format(f"{language or translation.get_language()}:{digest}")


def _storable(request: HttpRequest, response: HttpResponse, session_touched: bool) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not session_touched
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _session_flags(request: HttpRequest) -> tuple[bool, bool]:
    session = getattr(request, "session", None)
    if session is None:
        return False, False
    return session.accessed, session.modified


def _freeze(response: HttpResponse, every_header: bool = False) -> tuple:
    """Status, headers and body; ``every_header`` when the response has been through every
    middleware (cookies are kept apart from the headers, and a stored page has none)."""
    if every_header:
        headers = dict(response.headers.items())
    else:
        headers = {name: response[name] for name in _CACHED_HEADERS if response.has_header(name)}
    return (response.status_code, headers, response.content)


def _thaw(frozen: tuple) -> HttpResponse:
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _remember_route(request: HttpRequest, namespaces: tuple[str, ...]) -> None:
    if len(_ROUTES) >= _ROUTES_MAX:
        _ROUTES.clear()
    _ROUTES[request.path_info] = namespaces


def serve_cached(request: HttpRequest, namespaces: tuple[str, ...], render: Callable):
    """The cached page for this visitor, or ``render()`` (stored when it may be)."""
    seconds = page_cache_seconds()
    if seconds <= 0 or not _cacheable_request(request):
        return render()
    looked_up = getattr(request, "_page_cache_lookup", None)
    if looked_up is not None and looked_up[0] == namespaces:
        versions, frozen = looked_up[1], None  # PageCacheMiddleware missed just now
    else:
        versions, frozen = _lookup(request, namespaces)
    if versions is None:
        return render()
    if frozen is not None:
        _remember_route(request, namespaces)
        return _thaw(frozen)
    # Deciding who is logged in read the session; only the page's own reads count.
    was_accessed, _ = _session_flags(request)
    if was_accessed:
        request.session.accessed = False
    response = render()
    if callable(getattr(response, "render", None)) and not response.is_rendered:
        response = response.render()
    accessed, modified = _session_flags(request)
    if _storable(request, response, accessed or modified):
        if getattr(request, "_page_cache_front", False):
            # Stored by PageCacheFrontMiddleware once every middleware has answered.
            request._page_cache_pending = (_page_key(request), versions, seconds, namespaces)
        else:
            cache.set(_page_key(request), (versions, _freeze(response)), seconds)
            _remember_route(request, namespaces)
    if was_accessed:
        request.session.accessed = True
    return response


class PageCacheMiddleware:
    """Serves a stored page before URL resolution and the view run: last in MIDDLEWARE, so
    every other middleware still sees the request and the response.

    It knows a path only once its view has stored or served a page in this process
    (``_ROUTES``: path to the view's namespaces), so it never serves what the view would
    not: the same visitor checks, the same key, the same versions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        namespaces = _ROUTES.get(request.path_info)
        if (
            namespaces is None
            or page_cache_seconds() <= 0
            or hasattr(request, "_page_cache_lookup")  # the front middleware missed just now
            or not _cacheable_request(request)
        ):
            return self.get_response(request)
        versions, frozen = _lookup(request, namespaces)
        if frozen is not None:
            return _thaw(frozen)
        if versions is not None:
            request._page_cache_lookup = (namespaces, versions)
        return self.get_response(request)


class PageCacheFrontMiddleware:
    """First in MIDDLEWARE: serves a stored page to a visitor with no session and no
    messages cookie before any other middleware runs, and stores each page the view
    allowed (``serve_cached``) once every middleware has answered, with all its headers.

    A visitor without those cookies is anonymous and has no message waiting, so the
    checks the middlewares behind would make cannot refuse them; the language is the one
    the locale middleware would choose (``core.language``). The key holds the scheme and
    host, so an http:// request the security middleware redirects never meets a page
    stored for https://.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        namespaces = _ROUTES.get(request.path_info)
        if (
            namespaces is not None
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and _MESSAGES_COOKIE not in request.COOKIES
            and page_cache_seconds() > 0
        ):
            versions, frozen = _lookup(request, namespaces, chosen_language(request))
            if frozen is not None:
                return _thaw(frozen)
            if versions is not None:
                request._page_cache_lookup = (namespaces, versions)
        request._page_cache_front = True
        response = self.get_response(request)
        pending = getattr(request, "_page_cache_pending", None)
        if pending is not None and response.status_code == 200 and not response.cookies:
            key, versions, seconds, namespaces = pending
            cache.set(key, (versions, _freeze(response, every_header=True)), seconds)
            _remember_route(request, namespaces)
        return response


def cache_public_page(*namespaces: str):
    """Decorate a view: its page is cached for anonymous visitors (see the module)."""
    unknown = set(namespaces) - set(NAMESPACES)
    if unknown or not namespaces:
        raise ValueError(f"cache_public_page needs known namespaces, not {namespaces}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return serve_cached(request, namespaces, lambda: view(request, *args, **kwargs))

        return wrapped

    return decorator


class PublicPageCacheMixin:
    """On a class-based view: set ``page_cache_namespaces`` to the namespaces it reads."""

    page_cache_namespaces: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        return serve_cached(
            request, self.page_cache_namespaces, lambda: parent(request, *args, **kwargs)
        )


class AdminWritesBumpPageCacheMiddleware:
    """A write in the Django admin (an edit, a delete, an action, an import) may change
    any public page and does not go through a service that knows which: it bumps every
    namespace. Admin writes are rare; the pages refill on their next visit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method == "POST"
            and match is not None
            and match.app_name == "admin"
            and response.status_code < 400
        ):
            page_cache_bump_all()
        return response


def page_cache_invalidates(*namespaces: str):
    """Under ``@transaction.atomic(durable=True)`` on a service: when it succeeds, the
    pages reading these namespaces miss from its commit on."""
    unknown = set(namespaces) - set(NAMESPACES)
    if unknown or not namespaces:
        raise ValueError(f"page_cache_invalidates needs known namespaces, not {namespaces}")

    def decorator(service):
        @wraps(service)
        def wrapped(*args, **kwargs):
            result = service(*args, **kwargs)
            page_cache_bump(*namespaces)
            return result

        return wrapped

    return decorator
