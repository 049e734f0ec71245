"""What every form recipe does in the browser: open, check the dates, fill, submit, check.

Used by test_every_form.py and its recipe tables (form_recipes_*.py). A recipe
types what a person would type and leaves every optional field and extra
formset row untouched, so an untouched row that still sends its select's first
option, or a date input the browser blanked, shows up as a form error.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from tests.browser.conftest import horizontal_overflow
from tests.config.test_permission_walk import url_for
from tests.streets.factories import hub_staff

# People the permission walk has no role for, whose pages have forms too: the pages
# (by URL name prefix) they work in.
EXTRA_ROLES = {"hub_staff": "streets:"}


def add_extra_roles(world) -> None:
    """The street hub's staff of org A's street, as ``world.users["hub_staff"]``."""
    world.users["hub_staff"] = hub_staff(world.kwargs["street_code"]).user


ISO = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "time": re.compile(r"^\d{2}:\d{2}(:\d{2})?$"),
}
DATE_INPUTS = ", ".join(f"form input[type={kind}]" for kind in ISO)
FORM_TAG = re.compile(r"<form\b[^>]*>", re.I)
# Forms on every page that are not the page's own: the log-out and language buttons.
CHROME_FORM = re.compile(r"logout|/i18n/", re.I)
ERRORS = ".invalid-feedback, .alert-danger, .errorlist"


@dataclass(frozen=True)
class Recipe:
    """Who opens the page and what a person does there (``run(page, world)``)."""

    role: str
    run: Callable
    order: int = 50  # lower first within the role: recipes that end a membership go last
    # For a form the page shows only in some state: makes the state, returns the page's path.
    setup: Callable | None = None


def recipe(table: dict, name: str, role: str, order: int = 50, setup: Callable | None = None):
    def register(run):
        assert name not in table, f"two recipes for {name}"
        table[name] = Recipe(role=role, run=run, order=order, setup=setup)
        return run

    return register


def post_forms(html: str) -> list[str]:
    """The page's own ``<form method=post>`` tags (log-out and language switch left out)."""
    return [
        tag
        for tag in FORM_TAG.findall(html)
        if re.search(r"method=[\"']?post", tag, re.I) and not CHROME_FORM.search(tag)
    ]


def form_targets(html: str) -> set[str]:
    """The URL names the page's own post forms send to (an empty action: the page itself)."""
    names = set()
    for tag in post_forms(html):
        action = re.search(r"action=[\"']([^\"']+)[\"']", tag)
        if action is None:
            continue
        path = urlsplit(unescape(action.group(1))).path
        try:
            names.add(resolve(path).view_name)
        except Resolver404:
            continue
    return names


def date_values(html: str) -> list[tuple[str, str, str]]:
    """(name, type, value) of every date, datetime-local, month and time input as served."""
    found = []
    for tag in re.findall(r"<input\b[^>]*>", html, re.I):
        kind = re.search(r"type=[\"']?(date|datetime-local|month|time)[\"'\s>]", tag)
        if kind:
            name = re.search(r"name=[\"']?([^\"'\s>]+)", tag)
            value = re.search(r"value=[\"']([^\"']*)[\"']", tag)
            found.append(
                (name.group(1) if name else "?", kind.group(1), value.group(1) if value else "")
            )
    return found


def non_iso_dates(html: str) -> list[tuple[str, str, str]]:
    return [
        (name, kind, value)
        for name, kind, value in date_values(html)
        if value and not ISO[kind].match(value)
    ]


def open_form(page, world, name: str, path: str | None = None) -> None:
    """Open the page and check its date inputs show, as served, the ISO values they were given."""
    path = path or url_for(name, world)
    response = page.goto(page.base_url + path)
    assert response is not None and response.status == 200, f"{name} {path}: {response.status}"
    served = page.eval_on_selector_all(
        DATE_INPUTS,
        "els => els.map(e => [e.name, e.type, e.getAttribute('value') || '', e.value])",
    )
    for field, kind, attribute, kept in served:
        assert not attribute or ISO[kind].match(attribute), f"{name} {field}: {attribute!r}"
        assert kept == attribute, f"{name} {field} ({kind}): browser shows {kept!r}"
    assert horizontal_overflow(page) <= 0, f"{name} {path} scrolls sideways on a phone"


def shows(page, field: str, value: str) -> None:
    """The input shows ``value`` before the person types (a default the browser kept)."""
    assert page.input_value(f"[name='{field}']") == value, (field, page.url)


def submit(page, button, *, name: str, expect_errors: bool = False) -> None:
    """Click the button as a person would; the POST must succeed without form errors."""
    # The new page must have loaded before anything is read: wait_for_load_state()
    # alone can return at once, while the old page is still the loaded one.
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as answer,
    ):
        button.click()
    status = answer.value.status
    assert status < 400, f"{name}: POST answered {status}"
    if not expect_errors:
        errors = [text.strip() for text in page.locator(ERRORS).all_inner_texts()]
        assert errors == [], f"{name}: {page.url} {errors}"


def button_in(page, form_selector: str, text: str | None = None):
    """The submit button of the form matching ``form_selector`` (optionally by its text)."""
    form = page.locator(form_selector).first
    # A button with form="…" belongs to another form (allauth's 取消 logs out).
    buttons = form.locator("button:not([type=button]):not([form]), input[type=submit]")
    if text:
        buttons = buttons.filter(has_text=text)
    return buttons.last


def success(page) -> str:
    """The page's success message (asserts there is one)."""
    alerts = page.locator(".alert-success, .alert-info")
    assert alerts.count() >= 1, f"no success message on {page.url}"
    return alerts.first.inner_text()
