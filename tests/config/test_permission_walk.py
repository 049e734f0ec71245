"""Every URL pattern × every role, with real objects of org A and org B.

The URLs come from the resolver, so a new URL without a line in ``EXPECTED``
fails ``test_every_url_pattern_has_an_expectation``. Each line gives the GET
status for the roles in ``ROLES`` order; ``POST_ALLOWED`` names the roles a
state-changing view accepts, and every other role's POST (with a valid CSRF
token) must be refused: 403/404/405, or the login page for the anonymous.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .permission_table import EXPECTED
from .permission_world import ROLES, build_world

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/")
CSRF_SECRET = "walkwalkwalkwalkwalkwalkwalkwalk"  # 32 characters, as Django makes them


def _walk(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _walk(pattern.url_patterns, inner or namespace, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route


def portal_url_names() -> list[str]:
    """Every named URL of the portal (the admin and allauth have their own tests)."""
    return sorted(
        {
            name
            for name, route in _walk(get_resolver().url_patterns)
            if not route.startswith(SKIPPED_PREFIXES)
        }
    )


# URL keyword → the world's object (by URL name where one keyword means different things).
KWARGS = {
    "federation:organisation-detail": {"slug": "org_slug"},
    "federation:invitation-accept": {"token": "invitation_token"},
    "federation:my-member-role": {"pk": "member"},
    "federation:my-member-remove": {"pk": "member"},
    "federation:my-invitation-revoke": {"pk": "invitation"},
    "federation:my-inspection-submit": {"year": "year"},
    "alliances:detail": {"code": "=elderly"},
    "alliances:manage": {"code": "=elderly"},
    "alliances:membership-decide": {"code": "=elderly", "pk": "membership"},
    "alliances:membership-remove": {"code": "=elderly", "pk": "membership"},
    "alliances:apply": {"code": "=elderly"},
    "alliances:leave": {"pk": "membership"},
    "events:ticket": {"token": "ticket"},
    "events:ticket-cancel": {"token": "ticket"},
    "events:event-ics": {"slug": "event"},
    "events:event-detail": {"slug": "event"},
    "events:registration-create": {"slug": "event"},
    "events:visitor-signup": {"slug": "event"},
    "events:check-in": {"slug": "event"},
    "events:attendance": {"slug": "event"},
    "events:mark-no-shows": {"slug": "event"},
    "events:hours-correct": {"slug": "event", "pk": "registration"},
    "events:registration-detail": {"pk": "registration"},
    "events:registration-cancel": {"pk": "registration"},
    "events:participant-update": {"pk": "participant"},
    "events:secretary-event-update": {"pk": "event_pk"},
    "events:secretary-event-publish": {"pk": "event_pk"},
    "events:secretary-event-cancel": {"pk": "event_pk"},
    "funds:entry-detail": {"number": "number"},
    "funds:entry-reverse": {"number": "number"},
    "funds:donation-receipt": {"pk": "donation"},
    "funds:letter-issue": {"kind": "=donation", "pk": "donation"},
    "funds:letter-pdf": {"number": "=SBF-L-0000"},
    "funds:pledge-detail": {"pk": "pledge"},
    "funds:instalment-receive": {"pk": "instalment"},
    "funds:grant-detail": {"pk": "grant"},
    "funds:grant-action": {"pk": "grant", "action": "=approve"},
    "funds:attachment": {"pk": "attachment"},
    "funds:export": {"report": "=ledger"},
    "funds:my-grant-detail": {"pk": "grant"},
    "funds:my-grant-withdraw": {"pk": "grant"},
    "funds:my-grant-report": {"pk": "grant"},
    "funds:my-grant-progress": {"pk": "grant"},
    "funds:my-attachment": {"pk": "attachment"},
    "catalogue:offering-detail": {"pk": "offering"},
    "catalogue:review-detail": {"pk": "offering"},
    "catalogue:my-offering-update": {"pk": "offering"},
    "catalogue:my-offering-submit": {"pk": "offering"},
    "catalogue:my-offering-withdraw": {"pk": "offering"},
    "catalogue:my-photo-add": {"pk": "offering"},
    "catalogue:my-photo-remove": {"pk": "=999999"},
    "news:article-detail": {"slug": "article"},
    "member_events:detail": {"pk": "member_event"},
    "member_events:update": {"pk": "member_event"},
    "member_events:submit": {"pk": "member_event"},
    "member_events:cancel": {"pk": "member_event"},
    "member_events:no-shows": {"pk": "member_event"},
    "member_events:check-in": {"pk": "member_event", "registration": "registration"},
    "member_events:hours": {"pk": "member_event", "registration": "registration"},
    "member_events:review": {"pk": "member_event"},
    "notifications:unsubscribe": {"token": "=not-a-token"},
    "caravan:cancel": {"pk": "=999999"},
    "caravan:decide": {"pk": "=999999", "decision": "=approve"},
    "caravan:my-apply": {"pk": "=999999"},
    "caravan:my-record": {"pk": "=999999"},
    "caravan:my-withdraw": {"pk": "=999999"},
    "caravan:post-proceeds": {"pk": "=999999"},
    "caravan:publish": {"pk": "=999999"},
    "dashboard:evidence": {"slug": "org_slug"},
    "dashboard:evidence-pdf": {"slug": "org_slug", "year": "year"},
    "dashboard:evidence-xlsx": {"slug": "org_slug", "year": "year"},
    "festival:award-pdf": {"number": "=HON-0000-000"},
    "festival:honour-roll-year": {"year": "year"},
    "festival:honour-verify": {"number": "=HON-0000-000"},
    "festival:nomination-create": {"pk": "=999999"},
    "festival:walk-in-counter": {"slug": "event"},
    "streets:hub-booth-record": {"pk": "=999999"},
    "streets:hub-check-in": {"slug": "event"},
    "streets:hub-detail": {"code": "street_code"},
    "streets:hub-event-submit": {"pk": "event_pk"},
    "streets:hub-event-update": {"pk": "event_pk"},
    "streets:hub-recommend": {"pk": "=999999"},
    "streets:hub-registry-detail": {"slug": "org_slug"},
    "streets:review-approve": {"pk": "event_pk"},
    "streets:review-return": {"pk": "event_pk"},
    "volunteers:certificate-pdf": {"number": "=VOL-0000-000"},
    "volunteers:my-certificate-issue": {"pk": "participant"},
    "volunteers:verify": {"number": "=VOL-0000-000"},
    "volunteers:volunteer-detail": {"pk": "=999999"},  # none: staff 404, the rest refused
}


def url_for(name: str, world) -> str:
    spec = KWARGS.get(name) or {}
    kwargs = {}
    for key, source in spec.items():
        kwargs[key] = source[1:] if source.startswith("=") else world.kwargs[source]
    if "<str:fund>" in reverse_route(name):
        kwargs["fund"] = world.kwargs["fund"]
    return reverse(name, kwargs=kwargs)


def reverse_route(name: str) -> str:
    return dict(_walk(get_resolver().url_patterns))[name]


def client_for(world, role: str) -> Client:
    """A client that checks CSRF like a browser, holding a valid token."""
    client = Client(enforce_csrf_checks=True)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def walk(world, role: str) -> dict[str, str]:
    """``name -> "GET POST"`` statuses for one role (GETs first, then every POST)."""
    client = client_for(world, role)
    names = portal_url_names()
    got = {name: str(client.get(url_for(name, world)).status_code) for name in names}
    for name in names:
        response = client.post(url_for(name, world), {}, HTTP_X_CSRFTOKEN=CSRF_SECRET)
        got[name] += f" {response.status_code}"
    return got


def test_every_url_pattern_has_an_expectation():
    assert sorted(EXPECTED) == portal_url_names()


# Pages every back-office role opens, each seeing only its own role's links
# (tests/portal: the workbench lists a tool only to the role that holds it).
EVERY_WORKER = {"portal:workbench"}


def test_fund_roles_and_federation_staff_share_no_page():
    """The fund's people reach no federation-staff page; federation staff no fund page."""
    staff, manager, auditor = (
        ROLES.index(r) for r in ("federation_staff", "fund_manager", "fund_auditor")
    )
    for name, (get, _post) in EXPECTED.items():
        if name in EVERY_WORKER:
            continue
        codes = get.split()
        if "200" in (codes[0], codes[ROLES.index("member_a")], codes[ROLES.index("admin_a")]):
            continue  # public, or for any logged-in user: not a staff page
        if codes[staff] == "200":
            assert codes[manager] != "200" and codes[auditor] != "200", name
        if codes[manager] == "200" or codes[auditor] == "200":
            assert codes[staff] != "200", name


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(role):
    world = build_world()
    got = walk(world, role)
    index = ROLES.index(role)
    expected = {
        name: f"{get.split()[index]} {post.split()[index]}"
        for name, (get, post) in EXPECTED.items()
    }
    mismatches = {
        name: (expected[name], got[name]) for name in expected if got[name] != expected[name]
    }
    assert mismatches == {}, "(expected GET POST, got GET POST)"


# Public multi-step forms whose POST redirects to their next step, not to the login page.
ANONYMOUS_FLOWS = {"volunteers:request-confirm"}


def test_anonymous_posts_go_to_the_login_page():
    world = build_world()
    client = client_for(world, "anonymous")
    for name, (_get, post) in EXPECTED.items():
        if post.split()[0] == "302" and name not in ANONYMOUS_FLOWS:
            response = client.post(url_for(name, world), {}, HTTP_X_CSRFTOKEN=CSRF_SECRET)
            assert "/accounts/login/" in response["Location"], name


def test_a_post_without_the_csrf_token_is_refused():
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["superuser"])
    url = url_for("alliances:membership-decide", world)
    assert client.post(url, {"decision": "approve"}).status_code == 403
