"""Measurements over HTTP: pages against the bare view, and concurrent sign-up POSTs."""

import datetime
import re
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone

from events.models import Event, Registration
from federation.models import User

from .http import Samples, concurrent, request

BARE = "/_bench/bare/"


@dataclass
class PageResult:
    name: str
    path: str
    who: str = ""
    samples: Samples = field(default_factory=Samples)
    bare: Samples = field(default_factory=Samples)
    skipped: str = ""  # why the page is not measured (it sends visitors to log in)

    @property
    def ratio(self) -> float:
        return self.bare.median / self.samples.median if self.samples.seconds else 0.0


def session_cookie(user: User) -> dict:
    """A logged-in session for ``user``, as its cookie (made the way ``login`` makes one)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def measure_pages(port: int, pages: list[PageResult], cookies: dict, rounds: int) -> None:
    """One warm-up GET each, then ``rounds`` rounds: in each, for every page, the bare view

    and then the page (interleaved, so both see the same machine load).
    """
    for page in pages:
        hit = request(port, page.path, cookies=cookies.get(page.who))
        if (
            not page.who
            and 300 <= hit.status < 400
            and "/login/" in hit.headers.get("Location", "")
        ):
            page.skipped = f"HTTP {hit.status} to the login page: not measured"
        elif not 200 <= hit.status < 300:
            page.samples.add(hit)
    for _round in range(rounds):
        for page in pages:
            if page.skipped:
                continue
            page.bare.add(request(port, BARE))
            page.samples.add(request(port, page.path, cookies=cookies.get(page.who)))


@dataclass
class SignupResult:
    capacity: int
    posts: int
    clients: int
    signup_seconds: list[float] = field(default_factory=list)
    insert_seconds: list[float] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    exact: list[bool] = field(default_factory=list)


def _signup_event(capacity: int, number: int) -> Event:
    starts = timezone.now() + datetime.timedelta(days=30)
    return Event.objects.create(
        kind=Event.Kind.OUTREACH,
        title=f"基准报名测试{number}（虚构）",
        slug=f"bench-signup-{timezone.now():%Y%m%d%H%M%S}-{number}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=Event.Status.PUBLISHED,
        audience=Event.Audience.PUBLIC,
        visitor_signup=True,
        capacity=capacity,
        waitlist_enabled=True,
    )


def _csrf(port: int, path: str) -> tuple[dict, str]:
    hit = request(port, path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', hit.body)
    cookie = re.search(r"csrftoken=([^;]+)", hit.headers.get("Set-Cookie", ""))
    if not (token and cookie):
        raise RuntimeError(f"no CSRF token on {path} (status {hit.status})")
    return {settings.CSRF_COOKIE_NAME: cookie.group(1)}, token.group(1).decode()


def _signup_call(port: int, path: str, cookies: dict, token: str, number: int):
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "name": f"报名测试{number}（虚构）",
            "mobile": f"198{number:08d}",
            "consent": "on",
        }
    ).encode()
    # Each visitor from its own address (the proxy's X-Forwarded-For): the per-address
    # sign-up limit must not turn the run into 429s.
    forwarded = {
        "X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    }
    return lambda: request(port, path, method="POST", body=body, cookies=cookies, headers=forwarded)


def measure_signups(port: int, *, rounds: int, capacity: int, clients: int) -> SignupResult:
    """Per round: ``2 × capacity`` bare INSERT POSTs, then as many visitor sign-ups for a

    fresh event of ``capacity`` seats, each from ``clients`` concurrent clients; afterwards
    exactly ``capacity`` must hold a seat (seats 1..capacity) and the rest wait.
    """
    posts = capacity * 2
    result = SignupResult(capacity=capacity, posts=posts, clients=clients)
    serial = int(timezone.now().timestamp()) % 10_000 * 1000
    for number in range(rounds):
        calls = [
            (lambda: request(port, "/_bench/insert/", method="POST", body=b""))
            for _ in range(posts)
        ]
        hits, seconds = concurrent(calls, clients=clients)
        result.insert_seconds.append(seconds)
        result.errors += [hit.status for hit in hits if not 200 <= hit.status < 400]
        event = _signup_event(capacity, number)
        path = f"/events/{event.slug}/signup/"
        cookies, token = _csrf(port, path)
        calls = [
            _signup_call(port, path, cookies, token, serial + number * posts + n)
            for n in range(posts)
        ]
        hits, seconds = concurrent(calls, clients=clients)
        result.signup_seconds.append(seconds)
        result.errors += [hit.status for hit in hits if not 200 <= hit.status < 400]
        seats = sorted(
            Registration.objects.filter(
                event=event, status__in=Registration.SEAT_STATUSES
            ).values_list("seat", flat=True)
        )
        result.exact.append(seats == list(range(1, capacity + 1)))
    return result
