"""Every form the portal offers, filled in and submitted in a real browser on a phone (issue 11).

Two classes of bug only a browser shows: a date or datetime input whose value
is not ISO (``2026/12/01``) is blanked, so the default never shows and the
person must pick it again; and an untouched formset row still sends its
select's first option, so the formset takes it as filled in.

``test_every_page_with_a_post_form_has_a_recipe`` walks every URL of the
permission walk's world as every role that may open it and finds each page
that renders a ``<form method=post>``: each needs a recipe in
``form_recipes_*.py``, so a new form cannot escape. It also checks, for every
rendered page, that every date and datetime-local input is served empty or ISO.
The browser tests then run the recipes, one browser context per role, at
390x844 in zh-CN.
"""

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse

from tests.browser.conftest import login
from tests.browser.form_recipes_accounts import ACCOUNT_RECIPES
from tests.browser.form_recipes_more import MORE_RECIPES
from tests.browser.form_recipes_org import ORG_RECIPES
from tests.browser.form_recipes_pk import PK_RECIPES
from tests.browser.form_recipes_staff import STAFF_RECIPES
from tests.browser.form_recipes_state import STATE_RECIPES
from tests.browser.forms_kit import (
    EXTRA_ROLES,
    add_extra_roles,
    form_targets,
    non_iso_dates,
    post_forms,
)
from tests.config.permission_table import EXPECTED
from tests.config.permission_world import ROLES, build_world
from tests.config.test_permission_walk import _walk, client_for, url_for

TABLES = (ORG_RECIPES, STAFF_RECIPES, MORE_RECIPES, PK_RECIPES, STATE_RECIPES, ACCOUNT_RECIPES)
# Who opens allauth's pages: a visitor, and a person logged in.
ACCOUNT_ROLES = ("anonymous", "member_a", "fund_manager")
RECIPES = {name: recipe for table in TABLES for name, recipe in table.items()}
assert len(RECIPES) == sum(len(table) for table in TABLES), "a form has two recipes"


def _taking_a_post(patterns=None, namespace: str = "") -> set[str]:
    """The portal's URL names whose view has a ``post`` handler."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _taking_a_post(pattern.url_patterns, inner)
        elif pattern.name and hasattr(getattr(pattern.callback, "view_class", None), "post"):
            names.add(namespace + pattern.name)
    return names & set(EXPECTED)


# URL names taking a POST that no page of the world, no form on one and no recipe's
# set-up reaches, each with the reason.
UNREACHED: dict[str, str] = {
    "events:ticket-cancel": "the events:visitor-signup recipe reaches it from the e-ticket",
    "portal:favicon": "a redirect, which answers every method",
}


def _openable(role: str) -> list[str]:
    """The URL names ``role`` may open: the permission table's 200s, or every name for a role
    the walk does not have (a street hub's staff)."""
    if role not in ROLES:
        return sorted(name for name in EXPECTED if name.startswith(EXTRA_ROLES[role]))
    index = ROLES.index(role)
    return sorted(name for name, (get, _post) in EXPECTED.items() if get.split()[index] == "200")


def _account_pages() -> list[str]:
    """allauth's pages (log in, sign up, passwords, e-mail, two-factor) that take no argument."""
    return sorted(
        name
        for name, route in _walk(get_resolver().url_patterns)
        if route.startswith("accounts/") and "<" not in route and "(?P" not in route
    )


def _pages_with_forms(world) -> tuple[dict[str, set[str]], list, set[str]]:
    """``url name -> roles`` that see a post form there, every non-ISO date served, and the
    URL names opened or posted to (a form's action) from the pages opened."""
    found: dict[str, set[str]] = {}
    bad_dates = []
    reached: set[str] = set()
    for role in (*ROLES, *EXTRA_ROLES):
        client = client_for(world, role)
        names = _openable(role) + (_account_pages() if role in ACCOUNT_ROLES else [])
        for name in names:
            response = client.get(
                reverse(name) if name in _account_pages() else url_for(name, world)
            )
            if response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            bad_dates += [(name, role, *date) for date in non_iso_dates(html)]
            reached |= {name, *form_targets(html)}
            if post_forms(html):
                found.setdefault(name, set()).add(role)
    return found, bad_dates, reached


@pytest.mark.django_db
def test_every_page_with_a_post_form_has_a_recipe():
    world = build_world()
    add_extra_roles(world)
    found, bad_dates, reached = _pages_with_forms(world)
    assert bad_dates == [], "date inputs served with a value browsers blank"
    missing = sorted(set(found) - set(RECIPES))
    assert missing == [], f"pages with a form and no recipe (form_recipes_*.py): {missing}"
    # Each recipe is run by a role that sees the form (and no recipe is for a page without one).
    wrong = {
        name: r.role
        for name, r in RECIPES.items()
        if r.setup is None and r.role not in found.get(name, ())
    }
    assert wrong == {}, "recipes whose role sees no form on the page"
    # Pages behind an object the world does not have: a recipe's set-up makes one.
    for recipe in RECIPES.values():
        if recipe.setup is not None:
            path = recipe.setup(world)
            html = client_for(world, recipe.role).get(path).content.decode()
            reached |= {resolve(path).view_name, *form_targets(html)}
    # A recipe opens the page it is named after (a step after its set-up's page, too).
    reached |= {name.split(" (")[0] for name in RECIPES}
    unreached = sorted(_taking_a_post() - reached - set(UNREACHED))
    assert unreached == [], f"URL names taking a POST no page, form or set-up reaches: {unreached}"
    stale = sorted(set(UNREACHED) & reached)
    assert stale == [], f"reached now, take them out of UNREACHED: {stale}"


@pytest.mark.django_db
def test_every_form_shown_only_in_some_state_is_there_with_iso_dates():
    """The recipes with a set-up: the state they make shows the form, its dates ISO."""
    world = build_world()
    add_extra_roles(world)
    for name, recipe in sorted(RECIPES.items()):
        if recipe.setup is None:
            continue
        path = recipe.setup(world)
        response = client_for(world, recipe.role).get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        html = response.content.decode()
        assert post_forms(html), f"{name}: no form at {path}"
        assert non_iso_dates(html) == [], name


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", sorted({r.role for r in RECIPES.values()}))
def test_every_form_of_a_role_submits_from_a_phone(phone, role):
    world = build_world()
    add_extra_roles(world)
    user = world.users[role]
    if user is not None:
        login(phone, user.email)
    recipes = sorted(
        ((r.order, name, r) for name, r in RECIPES.items() if r.role == role),
        key=lambda item: item[:2],
    )
    for _order, name, recipe in recipes:
        try:
            recipe.run(phone, world)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error
