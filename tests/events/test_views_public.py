"""Public event pages: list, calendar, detail, iCalendar, feed, home (events.views.public)."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.timezone import SHANGHAI
from events.models import Event
from federation.models import Street
from tests.alliances.factories import alliance
from tests.federation.factories import OrgAdminFactory, OrganisationFactory

from .factories import EventFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _events_with_people(count: int, **kwargs) -> list[Event]:
    events = []
    for _ in range(count):
        event = EventFactory(capacity=None, **kwargs)
        RegistrationFactory(event=event, name="隐私测试人", mobile="13912345678")
        events.append(event)
    return events


# --- Public list, calendar and detail ------------------------------------------------------


def test_event_list_shows_published_upcoming_events_only(client):
    shown = EventFactory(title="公开的大篷车")
    EventFactory(title="草稿活动", status=Event.Status.DRAFT)
    EventFactory(title="去年的活动", starts_at=in_days(-400), ends_at=in_days(-400, 12))
    body = client.get(reverse("events:event-list")).content.decode()
    assert shown.title in body
    assert "草稿活动" not in body and "去年的活动" not in body


def test_event_list_filters_by_kind_alliance_street_and_month(client):
    street = Street.objects.order_by("code").last()
    training = EventFactory(
        title="养老护理培训", kind=Event.Kind.TRAINING, alliance=alliance("elderly"), street=street
    )
    caravan = EventFactory(title="大篷车三月", starts_at=in_days(40), ends_at=in_days(40, 12))
    url = reverse("events:event-list")
    assert list(client.get(url, {"kind": "training"}).context["events"]) == [training]
    assert list(client.get(url, {"alliance": "elderly"}).context["events"]) == [training]
    assert list(client.get(url, {"street": street.code}).context["events"]) == [training]
    month = timezone.localtime(caravan.starts_at).strftime("%Y-%m")
    assert caravan in client.get(url, {"month": month}).context["events"]
    assert training not in client.get(url, {"month": month}).context["events"] or (
        timezone.localtime(training.starts_at).strftime("%Y-%m") == month
    )


def test_event_list_is_paginated(client):
    for _ in range(25):
        EventFactory()
    first = client.get(reverse("events:event-list"))
    second = client.get(reverse("events:event-list"), {"page": 2})
    assert len(first.context["events"]) == 20
    assert len(second.context["events"]) == 5


def test_event_list_query_count_is_constant(client):
    _events_with_people(5)
    small = _query_count(client, reverse("events:event-list"))
    _events_with_people(95)
    large = _query_count(client, reverse("events:event-list"))
    assert small == large


def test_event_calendar_shows_the_month(client):
    event = EventFactory(title="九月公益节")
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    response = client.get(reverse("events:event-calendar"), {"month": month})
    assert event.title in response.content.decode()
    assert any(day.events for week in response.context["weeks"] for day in week)
    # A malformed month falls back to this month.
    assert client.get(reverse("events:event-calendar"), {"month": "x"}).status_code == 200


def test_event_calendar_query_count_is_constant(client):
    _events_with_people(5)
    small = _query_count(client, reverse("events:event-calendar"))
    _events_with_people(95)
    large = _query_count(client, reverse("events:event-calendar"))
    assert small == large


def test_event_detail_shows_places_left_organiser_and_activities(client):
    festival = EventFactory(
        kind=Event.Kind.FESTIVAL, title="2026 静安公益节", capacity=None, alliance=alliance("youth")
    )
    activity = EventFactory(
        kind=Event.Kind.FESTIVAL_ACTIVITY, parent=festival, title="公益集市", capacity=5
    )
    RegistrationFactory(event=activity)
    client.cookies["django_language"] = "en"
    response = client.get(festival.get_absolute_url())
    body = response.content.decode()
    assert "公益集市" in body
    assert "Youth Volunteering Alliance" in body
    client.cookies["django_language"] = "en"
    child = client.get(activity.get_absolute_url())
    assert child.context["places_left"] == 4
    assert "4 places left" in child.content.decode()


def test_event_detail_query_count_is_constant_in_activities(client):
    festival = EventFactory(kind=Event.Kind.FESTIVAL, capacity=None)
    _events_with_people(5, kind=Event.Kind.FESTIVAL_ACTIVITY, parent=festival)
    small = _query_count(client, festival.get_absolute_url())
    _events_with_people(95, kind=Event.Kind.FESTIVAL_ACTIVITY, parent=festival)
    large = _query_count(client, festival.get_absolute_url())
    assert small == large


def test_draft_event_detail_is_404(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event-ics", args=[event.slug])).status_code == 404


def test_public_pages_carry_no_personal_data(client):
    events = _events_with_people(3, visitor_signup=True)
    urls = [
        reverse("events:event-list"),
        reverse("events:event-calendar"),
        events[0].get_absolute_url(),
        reverse("events:event-ics", args=[events[0].slug]),
        reverse("events:event-feed"),
        "/",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "隐私测试人" not in body, url
        assert "13912345678" not in body and "5678" not in body, url


def test_event_description_markdown_is_sanitised(client):
    event = EventFactory(
        description=(
            "**欢迎**参加\n\n<script>alert('x')</script>\n\n"
            "[点我](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
    )
    body = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>欢迎</strong>" in body
    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert "onerror" not in body


def test_register_buttons_follow_who_may_register(client):
    event = EventFactory(visitor_signup=True)
    anonymous = client.get(event.get_absolute_url())
    assert anonymous.context["can_visitor_signup"]
    assert not anonymous.context["can_register_participants"]
    client.force_login(OrgAdminFactory().user)
    assert client.get(event.get_absolute_url()).context["can_register_participants"]
    members_only = EventFactory(audience=Event.Audience.MEMBERS, visitor_signup=True)
    response = client.get(members_only.get_absolute_url())
    assert response.context["can_register_participants"]
    assert not response.context["can_visitor_signup"]


# --- iCalendar -----------------------------------------------------------------------------


def test_event_ics_parses_back_with_shanghai_times(client):
    event = EventFactory(
        title="月月·大篷车 十二月",
        starts_at=datetime.datetime(2027, 12, 5, 9, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2027, 12, 5, 12, 30, tzinfo=SHANGHAI),
    )
    response = client.get(reverse("events:event-ics", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    timezones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(c["TZID"]) for c in timezones] == ["Asia/Shanghai"]
    (entry,) = calendar.walk("VEVENT")
    start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
    assert start == event.starts_at and end == event.ends_at
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert (start.hour, start.minute) == (9, 0)
    assert entry["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert str(entry["SUMMARY"]) == "月月·大篷车 十二月"
    assert entry["UID"] and entry["DTSTAMP"]
    assert event.get_absolute_url() in str(entry["URL"])
    # Lines are folded at 75 octets and end in CRLF (RFC 5545 §3.1).
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_feed_lists_events_and_filters_by_alliance(client):
    training = EventFactory(
        kind=Event.Kind.TRAINING, alliance=alliance("mediation"), title="调解培训"
    )
    caravan = EventFactory(title="大篷车")
    cancelled = EventFactory(
        title="取消的活动", status=Event.Status.CANCELLED, cancelled_reason="天气"
    )
    EventFactory(title="草稿", status=Event.Status.DRAFT)
    feed = icalendar.Calendar.from_ical(client.get(reverse("events:event-feed")).content)
    summaries = {str(e["SUMMARY"]): e for e in feed.walk("VEVENT")}
    assert set(summaries) == {training.title, caravan.title, cancelled.title}
    assert str(summaries[cancelled.title]["STATUS"]) == "CANCELLED"
    only = icalendar.Calendar.from_ical(
        client.get(reverse("events:event-feed"), {"alliance": "mediation"}).content
    )
    assert [str(e["SUMMARY"]) for e in only.walk("VEVENT")] == [training.title]
    assert client.get(reverse("events:event-feed"), {"alliance": "nope"}).status_code == 404


# --- Home page --------------------------------------------------------------------------------------


def test_home_page_lists_upcoming_events(client):
    EventFactory(title="即将举行的大篷车")
    body = client.get("/").content.decode()
    assert "即将举行的大篷车" in body


def test_my_home_links_registrations_and_participants(client):
    client.force_login(OrgAdminFactory().user)
    body = client.get("/my/").content.decode()
    assert reverse("events:registration-list") in body
    assert reverse("events:participant-list") in body


def test_organisation_profile_lists_its_upcoming_events(client):
    organisation = OrganisationFactory()
    EventFactory(title="本单位主办的讲座", organisation=organisation)
    EventFactory(title="别人的活动")
    body = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "本单位主办的讲座" in body and "别人的活动" not in body


# --- Review: bad input, confirmation steps, pagination ---------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc"])
def test_event_list_and_calendar_take_out_of_range_months_without_error(client, month):
    listing = client.get(reverse("events:event-list"), {"month": month})
    assert listing.status_code == 200
    assert "month" in listing.context["filter_form"].errors
    calendar = client.get(reverse("events:event-calendar"), {"month": month})
    assert calendar.status_code == 200
    assert calendar.context["month"] == timezone.localdate().replace(day=1)


def test_event_filter_form_refuses_a_month_outside_the_federation_years():
    from events.forms import EventFilterForm

    form = EventFilterForm({"month": "9999-12", "kind": "training"})
    assert not form.is_valid()
    assert form.errors.as_data()["month"][0].code == "month"
    # The bad month is ignored; the valid kind still filters.
    assert form.filters()["month"] is None and form.filters()["kind"] == "training"


def test_event_list_shows_a_bad_filter_and_applies_the_good_ones(client):
    training = EventFactory(kind=Event.Kind.TRAINING)
    EventFactory(kind=Event.Kind.CARAVAN)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("events:event-list"), {"kind": "training", "alliance": "zz"})
    assert response.status_code == 200
    assert list(response.context["events"]) == [training]
    assert "invalid-feedback" in response.content.decode()


def test_lists_show_the_first_or_last_page_for_bad_page_numbers(client):
    for _ in range(21):
        EventFactory(capacity=None)
    url = reverse("events:event-list")
    assert client.get(url, {"page": "abc"}).context["page_obj"].number == 1
    assert client.get(url, {"page": "999"}).context["page_obj"].number == 2
    user = OrgAdminFactory().user
    client.force_login(user)
    response = client.get(reverse("events:registration-list"), {"page": "abc"})
    assert response.status_code == 200 and response.context["page_obj"].number == 1
