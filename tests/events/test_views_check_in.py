"""Check-in at the door (events.views.check_in): event order, codes, the result panel."""

import datetime

import pytest
from django.urls import reverse

from core.timezone import SHANGHAI
from events.models import Event, Registration
from events.views.check_in import FRAGMENT_HEADER
from tests.alliances.factories import alliance
from tests.federation.factories import FederationStaffFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


def _event(title, starts_at, hours=2, **kwargs):
    return EventFactory(
        title=title,
        kind=Event.Kind.TRAINING,
        alliance=alliance("community"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **kwargs,
    )


@pytest.fixture
def event(clock):
    clock.set(NOW)
    return _event("社区培训（虚构）", NOW - datetime.timedelta(minutes=30))


@pytest.fixture
def staff_client(client):
    client.force_login(FederationStaffFactory())
    client.cookies["django_language"] = "en"
    return client


def _url(event):
    return reverse("events:check-in", args=[event.slug])


def _post(client, event, value, **headers):
    return client.post(_url(event), {"q": value}, headers=headers)


def _panel(client, event, value):
    """Post as the no-JavaScript form does, then read the panel the redirect shows."""
    response = _post(client, event, value)
    assert response.status_code == 302 and response["Location"] == _url(event)
    return client.get(response["Location"]).context["panel"]


def test_check_in_list_puts_today_first_then_upcoming_then_recent(clock, staff_client):
    clock.set(NOW)
    at = lambda days, hour: NOW.replace(hour=hour) + datetime.timedelta(days=days)  # noqa: E731
    later_today = _event("later today", at(0, 14))
    overnight = _event("overnight", at(-1, 23), hours=3)  # ends at 02:00 today
    this_morning = _event("this morning", at(0, 8))
    in_ten_days = _event("in ten days", at(10, 9))
    tomorrow = _event("tomorrow", at(1, 9))
    five_days_ago = _event("five days ago", at(-5, 9))
    yesterday = _event("yesterday", at(-1, 9))
    _event("long ago", at(-40, 9))
    page = staff_client.get(reverse("events:check-in-index"))
    assert list(page.context["events"]) == [
        overnight,
        this_morning,
        later_today,
        tomorrow,
        in_ten_days,
        yesterday,
        five_days_ago,
    ]
    html = page.content.decode()
    assert html.index("Today") < html.index("Coming up") < html.index("Recent")
    # Just after midnight, yesterday's events are no longer today's.
    clock.set(datetime.datetime(2026, 3, 11, 0, 5, tzinfo=SHANGHAI))
    events = staff_client.get(reverse("events:check-in-index")).context["events"]
    assert [e.check_in_group for e in events[:2]] == ["today", "upcoming"]  # tomorrow is today


@pytest.mark.parametrize(
    "typed", ["k7pm3q", "k7p m3q", "K7P-M3Q", "Ｋ７Ｐ－Ｍ３Ｑ", "ｋ７ｐｍ３ｑ"]
)
def test_a_typed_code_checks_in_whatever_its_case_spaces_or_width(staff_client, event, typed):
    registration = RegistrationFactory(event=event, name="王小明（虚构）", check_in_code="K7PM3Q")
    panel = _panel(staff_client, event, typed)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    assert panel["state"] == "ok" and panel["seat"] == registration.seat
    assert panel["name"] == "王*明（虚构）"  # masked, as on public pages
    assert "王小明" not in panel["text"] and "checked in at 10:00" in panel["text"]


def test_a_second_scan_is_amber_with_the_first_time(clock, staff_client, event):
    registration = RegistrationFactory(event=event, check_in_code="K7PM3Q")
    _panel(staff_client, event, "k7pm3q")
    clock.advance(minutes=12)
    panel = _panel(staff_client, event, "k7pm3q")
    assert panel["state"] == "already" and "already checked in at 10:00" in panel["text"]
    registration.refresh_from_db()
    assert registration.checked_in_at == NOW


def test_the_scanner_gets_the_panel_alone(staff_client, event):
    registration = RegistrationFactory(event=event, check_in_code="K7PM3Q")
    scanned = f"https://yilu.example{_url(event)}?token={registration.token}"
    response = _post(staff_client, event, scanned, **{FRAGMENT_HEADER: "fragment"})
    html = response.content.decode()
    assert response.status_code == 200 and not html.lstrip().startswith("<!DOCTYPE")
    assert 'data-state="ok"' in html and "Checked in" in html and "Seat 1" in html
    assert "1 of 1 checked in." in html  # the scanner updates the page's count from it
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED


def test_the_old_long_token_still_works_as_typed(staff_client, event):
    registration = RegistrationFactory(event=event)
    assert _panel(staff_client, event, registration.token)["state"] == "ok"


def test_another_events_code_or_ticket_is_refused_with_its_title(staff_client, event):
    other = _event("敬老院探访（虚构）", NOW + datetime.timedelta(hours=3))
    theirs = RegistrationFactory(event=other, check_in_code="QTHER2")
    panel = _panel(staff_client, event, "qther2")
    assert panel["state"] == "refused"
    assert panel["text"] == "This ticket is for another event: 敬老院探访（虚构）."
    scanned = f"https://yilu.example{_url(other)}?token={theirs.token}"
    assert _panel(staff_client, event, scanned)["text"] == panel["text"]
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.CONFIRMED


def test_an_unknown_code_is_refused_with_the_code(staff_client, event):
    panel = _panel(staff_client, event, "zzz zzz")
    assert panel == {
        "state": "refused",
        "name": "",
        "seat": None,
        "text": "No ticket with the code ZZZ-ZZZ for this event.",
    }


def test_cancelled_and_waitlisted_tickets_are_refused(staff_client, event):
    cancelled = RegistrationFactory(event=event, status="cancelled", check_in_code="CANCE2")
    RegistrationFactory(event=event, status="waitlisted", check_in_code="WA2TED")
    panel = _panel(staff_client, event, "cance2")
    assert panel["state"] == "refused" and panel["text"] == "This registration was cancelled."
    assert panel["name"] and panel["seat"] is None
    assert "waiting list" in _panel(staff_client, event, "wa2ted")["text"]
    cancelled.refresh_from_db()
    assert cancelled.status == Registration.Status.CANCELLED


def test_a_name_that_looks_like_a_code_goes_to_the_search(staff_client, event):
    walker = RegistrationFactory(event=event, name="WALKER")
    response = _post(staff_client, event, "Walker")
    assert response.status_code == 302 and "q=Walker" in response["Location"]
    assert staff_client.get(response["Location"]).context["results"] == [walker]


def test_the_search_finds_a_ticket_by_its_code_too(staff_client, event):
    registration = RegistrationFactory(event=event, check_in_code="K7PM3Q")
    RegistrationFactory(event=event)
    page = staff_client.get(_url(event), {"q": "k7p-m3q"})
    assert page.context["results"] == [registration]


def test_the_chinese_page_offers_the_scanner_and_the_code_box(client, event):
    client.force_login(FederationStaffFactory())
    html = client.get(_url(event)).content.decode()
    assert "vendor/jsqr/jsQR.js" in html and "data-check-in-scanner" in html
    assert "autofocus" in html and 'name="q"' in html
