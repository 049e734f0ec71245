"""The sweep: every page of the URLconf, for every role, on a 390x844 phone in Chinese.

For each role of the permission walk (its world of org A and org B, its table
of who may open what), one logged-in browser context opens every page the role
may open and checks it: no sideways scroll, no text cell narrower than two
characters or cut off at the edge, no serious or critical axe-core finding, no
request to another host, no English UI string the catalogue translates, and the
page is reachable from the home page in at most three taps (four for a page of
one object, linked from such a page). Screenshots go to YILU_SCREENSHOTS.

Runs once in CI, on PostgreSQL (the SQLite pass skips it; YILU_SWEEP=1 runs it anyway).
"""

import contextlib
import os

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.browser.conftest import PHONE, _page
from tests.browser.sweep_checks import link_paths, page_problems
from tests.browser.sweep_pages import (
    DOWNLOADS,
    LEFT_TO_OTHER_BRANCHES,
    NOT_PAGES,
    REACHED_OUTSIDE_NAVIGATION,
    SWEEP_ROLES,
    SWEPT_WITH_OWN_OBJECTS,
    get_status,
    pages_for,
    unreachable,
    url_name,
)
from tests.browser.sweep_world import add_sweep_objects
from tests.config.permission_world import ROLES, build_world
from tests.config.test_permission_walk import portal_url_names, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_url_name_is_swept_or_excluded():
    """A new URL name is opened by the sweep or listed in sweep_pages with the reason."""
    swept = {name for role in (*ROLES, *SWEEP_ROLES) for name in pages_for(role)}
    names = set(portal_url_names())
    assert set(SWEPT_WITH_OWN_OBJECTS) <= names, "stale"
    assert names - swept - set(DOWNLOADS) - set(NOT_PAGES) == set(), "add them to sweep_pages"
    assert swept & set(NOT_PAGES) == set(), "pages some role opens: remove from NOT_PAGES"
    assert set(DOWNLOADS) | set(NOT_PAGES) | set(REACHED_OUTSIDE_NAVIGATION) <= names, "stale"
    downloads_opened = {n for n in DOWNLOADS for role in ROLES if get_status(n, role) == "200"}
    assert downloads_opened == set(DOWNLOADS), "a download no role can fetch"


def _screenshot(page, name: str) -> None:
    """The whole page as a JPEG in YILU_SCREENSHOTS (quicker to write than PNG, 480 of them)."""
    directory = os.environ.get("YILU_SCREENSHOTS")
    if directory:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"{name}.jpeg")
        page.screenshot(path=path, full_page=True, type="jpeg", quality=60)


def _logged_in_page(browser, live_server, user):
    context, page = _page(browser, live_server, PHONE, is_mobile=True, bypass_csp=True)
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        context.add_cookies([cookie])
    return context, page


def _open(page, path: str) -> list[str]:
    response = page.goto(page.base_url + path)
    if response is None or response.status != 200 or response.request.redirected_from:
        return [f"answered {response and response.status}, at {page.url}"]
    if not response.headers.get("content-type", "").startswith("text/html"):
        return [f"not a page ({response.headers.get('content-type')}): add it to DOWNLOADS"]
    return []


def sweep(page, world, role: str):
    """Open every page of the role: problems by URL name, and the links between URL names."""
    problems, links = {}, {}
    own = world.sweep_pages.get(role, {})
    for name in pages_for(role):
        path = own[name] if name in SWEPT_WITH_OWN_OBJECTS else url_for(name, world)
        before = len(page.foreign_requests)
        found = _open(page, path)
        if not found:
            _screenshot(page, f"sweep-{role}-{name.replace(':', '-')}")
            found = page_problems(page)
            links[name] = {url_name(p) for p in link_paths(page)} - {None}
        found += [f"request to another host: {url}" for url in page.foreign_requests[before:]]
        found = [f for f in found if (name, f.split()[0]) not in LEFT_TO_OTHER_BRANCHES]
        if found:
            problems[f"{name} {path}"] = found
    return problems, links


@pytest.fixture
def world(transactional_db):
    if connection.vendor != "postgresql" and not os.environ.get("YILU_SWEEP"):
        pytest.skip("the sweep runs once, on PostgreSQL (YILU_SWEEP=1 runs it here)")
    world = build_world()
    world.sweep_pages = add_sweep_objects(world)
    made = {name: role for role, pages in world.sweep_pages.items() for name in pages}
    assert made == SWEPT_WITH_OWN_OBJECTS, "sweep_world.py and sweep_pages.py disagree"
    return world


@pytest.mark.parametrize("role", (*ROLES, *SWEEP_ROLES))
def test_every_page_of_each_role_on_a_phone(world, browser, live_server, role):
    context, page = _logged_in_page(browser, live_server, world.users[role])
    try:
        problems, links = sweep(page, world, role)
    finally:
        context.close()
    for name, taps in unreachable(role, links).items():
        problems[name] = [f"not reachable from the home page within 3 taps ({taps} taps)"]
    report = "\n".join(f"{where}: {'; '.join(found)}" for where, found in problems.items())
    assert problems == {}, f"{role}, {len(problems)} pages:\n{report}"


# The registrations table as it was before it stacked into cards on a phone
# (248262e): six columns side by side at 390 px.
_UNSTACK_JS = """() => {
  const tables = document.querySelectorAll('table.yilu-stack');
  tables.forEach((table) => table.classList.remove('yilu-stack'));
  return tables.length;
}"""


@pytest.fixture
def first_sequences():
    """Factory sequences from their start, as in a run of this test alone.

    After the role sweeps the titles and names carry three-digit numbers, and an
    unstacked table of such long cells overflows instead of squeezing its columns;
    this test checks the sweep sees the squeezed table, with the data it had alone."""
    import factory

    classes = [factory.django.DjangoModelFactory]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        # abstract bases have no sequence to reset
        with contextlib.suppress(Exception):
            cls.reset_sequence(force=True)


def test_the_sweep_fails_on_registrations_that_do_not_stack(
    first_sequences, world, browser, live_server
):
    context, page = _logged_in_page(browser, live_server, world.users["admin_a"])
    try:
        assert _open(page, "/my/registrations/") == []
        assert page_problems(page) == []
        assert page.evaluate(_UNSTACK_JS) > 0
        problems = page_problems(page)
    finally:
        context.close()
    assert any(p.startswith(("narrow", "cut off", "scrolls sideways")) for p in problems), problems
