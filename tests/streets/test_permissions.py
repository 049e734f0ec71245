"""Every URL of the streets app, for the hub staff of street A, against A's and B's objects.

A is allowed where intended; B is always a 404 on hub pages (the public pages
show every hub to everyone); federation review pages are 403 for hub staff.
A new URL pattern without an entry here fails ``test_every_url_is_walked``.
"""

import pytest
from django.urls import reverse

from events.models import Registration
from streets.urls import urlpatterns
from tests.events.factories import RegistrationFactory

# name -> (kwargs from a Side, method, expected status for A's object)
PUBLIC = {
    "hub-list": (lambda side: {}, "get"),
    "hub-detail": (lambda side: {"code": side.hub.street.code}, "get"),
}
HUB_PAGES = {
    "hub-home": (lambda side: {}, "get", 200),
    "hub-profile": (lambda side: {}, "get", 200),
    "hub-registry": (lambda side: {}, "get", 200),
    "hub-registry-export": (lambda side: {}, "get", 200),
    "hub-registry-detail": (lambda side: {"slug": side.organisation.slug}, "get", 200),
    "hub-application-list": (lambda side: {}, "get", 200),
    "hub-recommend": (lambda side: {"pk": side.application.pk}, "get", 200),
    "hub-inspections": (lambda side: {}, "get", 200),
    "hub-event-list": (lambda side: {}, "get", 200),
    "hub-event-create": (lambda side: {}, "get", 200),
    "hub-event-update": (lambda side: {"pk": side.hub_event.pk}, "get", 200),
    "hub-event-submit": (lambda side: {"pk": side.hub_event.pk}, "post", 302),
    "hub-check-in": (lambda side: {"slug": side.street_event.slug}, "get", 200),
    "hub-caravans": (lambda side: {}, "get", 200),
    "hub-booth-record": (lambda side: {"pk": side.booth.pk}, "get", 200),
}
REVIEW = {
    "review": (lambda side: {}, "get"),
    "review-approve": (lambda side: {"pk": side.hub_event.pk}, "post"),
    "review-return": (lambda side: {"pk": side.hub_event.pk}, "get"),
}
# Pages with no object of their own: "B" is another hub's object only where a kwarg names one.
NO_OBJECT = {pattern.name for pattern in urlpatterns if not pattern.pattern.regex.groups}


def test_every_url_is_walked():
    names = {pattern.name for pattern in urlpatterns}
    assert names == set(PUBLIC) | set(HUB_PAGES) | set(REVIEW)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_show_every_hub_to_hub_staff(name, client, side_a, side_b):
    client.force_login(side_a.user)
    kwargs, _method = PUBLIC[name]
    for side in (side_a, side_b):
        assert client.get(reverse(f"streets:{name}", kwargs=kwargs(side))).status_code == 200


@pytest.mark.parametrize("name", sorted(HUB_PAGES))
def test_hub_staff_reach_their_own_street(name, client, side_a, side_b):
    client.force_login(side_a.user)
    kwargs, method, expected = HUB_PAGES[name]
    response = getattr(client, method)(reverse(f"streets:{name}", kwargs=kwargs(side_a)))
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(set(HUB_PAGES) - NO_OBJECT))
def test_another_streets_object_is_a_404(name, client, side_a, side_b):
    client.force_login(side_a.user)
    kwargs, method, _expected = HUB_PAGES[name]
    response = getattr(client, method)(reverse(f"streets:{name}", kwargs=kwargs(side_b)))
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(HUB_PAGES))
def test_hub_pages_are_a_404_for_everyone_else(name, client, side_a, federation_staff):
    kwargs, method, _expected = HUB_PAGES[name]
    url = reverse(f"streets:{name}", kwargs=kwargs(side_a))
    # Anonymous: to the login page.
    assert getattr(client, method)(url).status_code == 302
    # Logged in without a hub (federation staff included): nothing to see.
    client.force_login(federation_staff)
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("name", sorted(REVIEW))
def test_review_pages_are_federation_staffs(name, client, side_a, side_b, federation_staff):
    kwargs, method = REVIEW[name]
    side_a.hub_event.review_state = "submitted"
    side_a.hub_event.save()
    url = reverse(f"streets:{name}", kwargs=kwargs(side_a))
    client.force_login(side_a.user)
    assert getattr(client, method)(url).status_code == 403
    client.force_login(federation_staff)
    assert getattr(client, method)(url).status_code in (200, 302)


def test_the_registry_lists_only_the_own_street(client, side_a, side_b):
    client.force_login(side_a.user)
    response = client.get(reverse("streets:hub-registry"))
    names = {organisation.name for organisation in response.context["organisations"]}
    assert side_a.organisation.name in names
    assert side_b.organisation.name not in names
    export = client.get(reverse("streets:hub-registry-export")).content
    assert export  # the other street's name is not in the workbook either:
    from io import BytesIO

    from openpyxl import load_workbook

    cells = {
        cell
        for row in load_workbook(BytesIO(export)).active.iter_rows(values_only=True)
        for cell in row
    }
    assert side_a.organisation.name in cells
    assert side_b.organisation.name not in cells


def test_the_event_list_shows_no_other_streets_events(client, side_a, side_b):
    client.force_login(side_a.user)
    events = set(client.get(reverse("streets:hub-event-list")).context["events"])
    assert {side_a.hub_event, side_a.street_event} <= events
    assert not {side_b.hub_event, side_b.street_event} & events


def test_check_in_in_the_own_street_only(client, side_a, side_b):
    """Hub staff check people in at an event held in their street; another street's: 404."""
    mine = RegistrationFactory(event=side_a.street_event)
    theirs = RegistrationFactory(event=side_b.street_event)
    client.force_login(side_a.user)
    url = reverse("streets:hub-check-in", kwargs={"slug": side_a.street_event.slug})
    assert client.post(url, {"registration": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == Registration.Status.ATTENDED
    # B's registration through A's event page: not found there.
    assert client.post(url, {"registration": theirs.pk}).status_code == 404
    other = reverse("streets:hub-check-in", kwargs={"slug": side_b.street_event.slug})
    assert client.post(other, {"registration": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.CONFIRMED


def test_events_check_in_pages_stay_closed_to_hub_staff(client, side_a, side_b):
    """The events app's own staff check-in pages give hub staff nothing beyond the public."""
    client.force_login(side_a.user)
    for side in (side_a, side_b):
        url = reverse("events:check-in", kwargs={"slug": side.street_event.slug})
        assert client.get(url).status_code == 404


def test_my_hub_object_in_another_hubs_session_is_a_404(client, side_a, side_b):
    """B's staff cannot reach A's application, organisation or event either."""
    client.force_login(side_b.user)
    for name, kwargs in (
        ("hub-recommend", {"pk": side_a.application.pk}),
        ("hub-registry-detail", {"slug": side_a.organisation.slug}),
        ("hub-event-update", {"pk": side_a.hub_event.pk}),
        ("hub-check-in", {"slug": side_a.street_event.slug}),
        ("hub-booth-record", {"pk": side_a.booth.pk}),
    ):
        assert client.get(reverse(f"streets:{name}", kwargs=kwargs)).status_code == 404


def test_hub_staff_check_in_by_typed_code_in_their_street_only(client, side_a, side_b):
    """The hub's page takes a ticket code too (any case, full width): checked in at once;
    another street's ticket is refused with its event, never checked in."""
    mine = RegistrationFactory(event=side_a.street_event, check_in_code="K7PM3Q")
    theirs = RegistrationFactory(event=side_b.street_event, check_in_code="X9RT2W")
    client.force_login(side_a.user)
    url = reverse("streets:hub-check-in", kwargs={"slug": side_a.street_event.slug})
    response = client.post(url, {"q": "ｋ７ｐ－ｍ３ｑ"})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).context["panel"]["state"] == "ok"
    mine.refresh_from_db()
    assert mine.status == Registration.Status.ATTENDED
    fragment = client.post(url, {"q": theirs.token}, headers={"X-Yilu-Check-In": "fragment"})
    assert 'data-state="refused"' in fragment.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.CONFIRMED
    # Not a ticket: the name search, as before.
    response = client.post(url, {"q": "志愿者"})
    assert response["Location"] == f"{url}?q=%E5%BF%97%E6%84%BF%E8%80%85"
