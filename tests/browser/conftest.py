"""Browser tests: Debian's chromium, headless, driven by Playwright against the live server.

Every page is opened as its users open it: in Chinese, on a 390x844 phone (and
on a 1366x768 desktop where the test says so). Requests to any other host are
refused and recorded, so a page that loads a foreign asset fails its test.
"""

import os
import shutil
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("YILU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
PASSWORD = "pass-w0rd-for-tests"  # tests.federation.factories.UserFactory's password


@pytest.fixture
def browser(transactional_db, live_server):
    """A chromium for one test, started after the test database is set up.

    Playwright's sync API runs an event loop (in a greenlet) while it is
    started. Django's connections are context-local, so a connection opened
    under that loop is not the one the test database was serialized on, and
    the reference data (streets, the fund, alliances) would not be reloaded
    after another test's flush. Starting chromium after the database fixture
    and stopping it before the flush keeps the test on one connection. The
    async-safety check, which would take the loop for async code, is off for
    this test only (never for the deploy check run in a subprocess).
    """
    with launched_chromium() as instance:
        yield instance


@contextmanager
def launched_chromium(extra_args=()):
    """Debian's chromium under Playwright, with the async-safety check off while it runs."""
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; CI has it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    try:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args]
        )
        yield instance
        instance.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ForeignRequests(list):
    """URLs the page tried to load from a host other than the live server."""


def _page(browser, live_server, viewport, *, is_mobile, **options):
    context = browser.new_context(
        viewport=viewport,
        is_mobile=is_mobile,
        has_touch=is_mobile,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        **options,
    )
    context.set_default_timeout(10_000)
    own_host = urlsplit(live_server.url).netloc
    foreign = ForeignRequests()

    def guard(route):
        url = route.request.url
        # chrome: and chrome-extension: are the browser's own (its PDF viewer), not a host.
        internal = ("data:", "blob:", "chrome:", "chrome-extension:")
        if url.startswith(internal) or urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.foreign_requests = foreign
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def phone(browser, live_server):
    context, page = _page(browser, live_server, PHONE, is_mobile=True)
    yield page
    context.close()
    assert page.foreign_requests == [], f"assets from another host: {page.foreign_requests}"


@pytest.fixture
def desktop(browser, live_server):
    context, page = _page(browser, live_server, DESKTOP, is_mobile=False)
    yield page
    context.close()
    assert page.foreign_requests == [], f"assets from another host: {page.foreign_requests}"


def goto(page, path):
    response = page.goto(page.base_url + path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    return response


def login(page, email, password=PASSWORD, next_path="/"):
    """Log in through allauth's form, as a person would."""
    goto(page, f"/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").last.click()


def horizontal_overflow(page):
    """Pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def screenshot(page, name):
    """Save a screenshot for a person to look at (YILU_SCREENSHOTS=<dir> to keep them)."""
    directory = os.environ.get("YILU_SCREENSHOTS")
    if directory:
        os.makedirs(directory, exist_ok=True)
        page.screenshot(path=os.path.join(directory, f"{name}.png"), full_page=True)
