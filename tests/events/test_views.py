import datetime
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from federation.models import Street
from tests.alliances.factories import alliance, org_admin, secretary_of
from tests.federation.factories import FederationStaffFactory, OrganisationFactory

from .factories import EventFactory, ParticipantFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


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
    client.force_login(org_admin(OrganisationFactory()))
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


# --- Organisation area ------------------------------------------------------------------------


def _registered(user, event=None):
    organisation = user.organisation_memberships.get().organisation
    participant = ParticipantFactory(organisation=organisation)
    return services.registration_create(
        event=event or EventFactory(), participant=participant, acting_user=user
    )


def test_my_registrations_list_ticket_and_cancel(client):
    user = org_admin(OrganisationFactory())
    registration = _registered(user)
    client.force_login(user)
    listing = client.get(reverse("events:registration-list"))
    assert list(listing.context["registrations"]) == [registration]
    ticket = client.get(reverse("events:registration-detail", args=[registration.pk]))
    assert ticket.status_code == 200
    assert "<svg" in ticket.content.decode() and registration.token in ticket.content.decode()
    response = client.post(reverse("events:registration-cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_another_organisation_gets_404_on_registrations_and_tickets(client):
    owner = org_admin(OrganisationFactory())
    registration = _registered(owner)
    stranger = org_admin(OrganisationFactory())
    client.force_login(stranger)
    assert list(client.get(reverse("events:registration-list")).context["registrations"]) == []
    detail = reverse("events:registration-detail", args=[registration.pk])
    assert client.get(detail).status_code == 404
    assert client.post(
        reverse("events:registration-cancel", args=[registration.pk])
    ).status_code == (404)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    # Organisation participants have no token page: the token URL is for visitors only.
    assert client.get(reverse("events:ticket", args=[registration.token])).status_code == 404


def test_my_pages_need_an_organisation(client):
    client.force_login(FederationStaffFactory())
    assert client.get(reverse("events:registration-list")).status_code == 404
    client.logout()
    assert client.get(reverse("events:registration-list")).status_code == 302


def test_registering_participants_through_the_page(client):
    user = org_admin(OrganisationFactory())
    organisation = user.organisation_memberships.get().organisation
    first, second = (
        ParticipantFactory(organisation=organisation),
        ParticipantFactory(organisation=organisation),
    )
    foreign = ParticipantFactory()
    event = EventFactory(capacity=1, waitlist_enabled=True)
    client.force_login(user)
    url = reverse("events:registration-create", args=[event.slug])
    assert client.get(url).status_code == 200
    # Another organisation's participant is not a valid choice.
    invalid = client.post(url, {"participants": [foreign.pk]})
    assert invalid.status_code == 200 and not Registration.objects.exists()
    response = client.post(url, {"participants": [first.pk, second.pk]})
    assert response.status_code == 302
    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
    ]


def test_participants_page_lists_hours_and_star_level(client):
    user = org_admin(OrganisationFactory())
    organisation = user.organisation_memberships.get().organisation
    client.force_login(user)
    response = client.post(
        reverse("events:participant-create"),
        {"name": "钱*（虚构）", "mobile": "139 0000 7777", "role": "volunteer", "is_active": "on"},
    )
    assert response.status_code == 302
    participant = organisation.participants.get()
    assert participant.mobile == "13900007777"
    start = timezone.now() - datetime.timedelta(days=200)
    long_event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=120))
    RegistrationFactory(event=long_event, participant=participant, status="attended", hours=120)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("events:participant-list"))
    (row,) = page.context["participants"]
    assert row.total_hours == 120 and row.stars == 1
    assert page.context["organisation_hours"] == 120
    assert "★" in page.content.decode()
    assert "13900007777" not in page.content.decode()


# --- Visitors -----------------------------------------------------------------------------------


def _signup(client, event, mobile="13700000001", **extra):
    data = {"name": "访客（虚构）", "mobile": mobile, "consent": "on", **extra}
    client.cookies["django_language"] = "en"
    return client.post(reverse("events:visitor-signup", args=[event.slug]), data)


def test_visitor_signup_gives_a_token_ticket_with_qr(client):
    event = EventFactory(visitor_signup=True)
    response = _signup(client, event)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:ticket", args=[registration.token])
    ticket = client.get(response["Location"])
    body = ticket.content.decode()
    assert "<svg" in body and "137****0001" in body
    assert "13700000001" not in body


def test_visitor_signup_shows_refusals(client):
    event = EventFactory(visitor_signup=True, capacity=1, waitlist_enabled=False)
    _signup(client, event, mobile="13700000001")
    response = _signup(client, event, mobile="13700000002")
    assert response.status_code == 200
    assert "This event is full." in response.content.decode()


def test_visitor_signup_is_rate_limited_per_mobile(client):
    event = EventFactory(visitor_signup=True, capacity=None)
    for _ in range(3):
        assert _signup(client, event, mobile="13700009999").status_code in (200, 302)
    response = _signup(client, event, mobile="13700009999")
    assert response.status_code == 429
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "rate_limited"
    ]
    assert "Too many sign-up attempts" in response.content.decode()


def test_visitor_signup_is_rate_limited_per_ip(client):
    event = EventFactory(visitor_signup=True, capacity=None)
    for n in range(10):
        assert _signup(client, event, mobile=f"1370000{n:04d}").status_code == 302
    assert _signup(client, event, mobile="13700005555").status_code == 429
    assert Registration.objects.count() == 10
    # Another address is not affected.
    other = client.post(
        reverse("events:visitor-signup", args=[event.slug]),
        {"name": "访客", "mobile": "13700006666", "consent": "on"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302


def test_visitor_signup_page_404_when_not_offered(client):
    event = EventFactory(visitor_signup=False)
    assert client.get(reverse("events:visitor-signup", args=[event.slug])).status_code == 404


def test_visitor_can_cancel_with_the_ticket(client):
    event = EventFactory(visitor_signup=True)
    _signup(client, event)
    registration = Registration.objects.get()
    client.post(reverse("events:ticket-cancel", args=[registration.token]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


# --- Check-in -------------------------------------------------------------------------------------


@pytest.fixture
def running_event():
    start = timezone.now() - datetime.timedelta(minutes=30)
    return EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("community"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def _confirmed(event, mobile="13812341234", name="孙*（虚构）"):
    return RegistrationFactory(event=event, mobile=mobile, name=name)


def test_check_in_by_token_then_already_checked_in_with_time(client, running_event):
    registration = _confirmed(running_event)
    client.force_login(FederationStaffFactory())
    url = reverse("events:check-in", args=[running_event.slug])
    scanned = f"http://testserver{url}?token={registration.token}"
    client.cookies["django_language"] = "en"
    first = client.post(url, {"q": scanned}, follow=True)
    registration.refresh_from_db()
    assert registration.status == "attended"
    at = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    assert f"checked in at {at}" in first.content.decode()
    client.cookies["django_language"] = "en"
    second = client.post(url, {"q": registration.token}, follow=True)
    assert f"already checked in at {at}" in second.content.decode()
    registration.refresh_from_db()
    assert timezone.localtime(registration.checked_in_at).strftime("%H:%M") == at


def test_check_in_search_by_name_and_last_four_digits(client, running_event):
    registration = _confirmed(running_event, mobile="13800004321", name="周*（虚构）")
    _confirmed(running_event, mobile="13800001111", name="吴*（虚构）")
    client.force_login(FederationStaffFactory())
    url = reverse("events:check-in", args=[running_event.slug])
    assert client.get(url, {"q": "4321"}).context["results"] == [registration]
    assert client.get(url, {"q": "周"}).context["results"] == [registration]
    client.post(url, {"registration": registration.pk})
    registration.refresh_from_db()
    assert registration.status == "attended"


def test_check_in_page_is_for_staff_and_the_alliance_secretary(client, running_event):
    url = reverse("events:check-in", args=[running_event.slug])
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(url).status_code == 404
    client.force_login(secretary_of("elderly"))
    assert client.get(url).status_code == 404
    client.force_login(secretary_of("community"))
    assert client.get(url).status_code == 200


def test_no_shows_and_hours_correction_pages(client, running_event):
    came, missed = _confirmed(running_event), _confirmed(running_event, mobile="13800002222")
    staff = FederationStaffFactory()
    services.registration_check_in(registration=came, acting_user=staff)
    client.force_login(staff)
    client.post(reverse("events:mark-no-shows", args=[running_event.slug]))
    missed.refresh_from_db()
    assert missed.status == "no_show"
    url = reverse("events:hours-correct", args=[running_event.slug, came.pk])
    client.post(url, {"hours": "5", "note": ""})
    came.refresh_from_db()
    assert came.hours == 2 and not came.hours_corrected  # refused: above the length
    client.post(url, {"hours": "1.5", "note": "迟到"})
    came.refresh_from_db()
    assert came.hours == 1.5 and came.hours_corrected
    page = client.get(reverse("events:attendance", args=[running_event.slug]))
    assert page.status_code == 200


# --- Alliance secretaries ----------------------------------------------------------------------------


def test_secretary_creates_a_training_for_their_alliance(client):
    secretary = secretary_of("owners")
    client.force_login(secretary)
    url = reverse("events:secretary-event-create")
    form = client.get(url).context["form"]
    assert list(form.fields["alliance"].queryset) == [alliance("owners")]
    assert {value for value, _ in form.fields["kind"].choices} == {"training", "team_building"}
    data = {
        "kind": "training",
        "alliance": alliance("owners").pk,
        "title": "业委会骨干培训",
        "starts_at": "2027-03-10T14:00",
        "ends_at": "2027-03-10T16:30",
        "audience": "members",
        "waitlist_enabled": "on",
    }
    assert client.post(url, data).status_code == 302
    event = Event.objects.get(title="业委会骨干培训")
    assert event.alliance.code == "owners" and event.status == Event.Status.DRAFT
    data["alliance"] = alliance("youth").pk
    assert client.post(url, data).status_code == 200  # not a choice
    client.post(reverse("events:secretary-event-publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    other = EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("youth"))
    assert client.get(reverse("events:secretary-event-update", args=[other.pk])).status_code == 404


def test_secretary_pages_404_for_others(client):
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(reverse("events:secretary-event-list")).status_code == 404


# --- Home page --------------------------------------------------------------------------------------


def test_home_page_lists_upcoming_events(client):
    EventFactory(title="即将举行的大篷车")
    body = client.get("/").content.decode()
    assert "即将举行的大篷车" in body


def test_my_home_links_registrations_and_participants(client):
    client.force_login(org_admin(OrganisationFactory()))
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
    user = org_admin(OrganisationFactory())
    client.force_login(user)
    response = client.get(reverse("events:registration-list"), {"page": "abc"})
    assert response.status_code == 200 and response.context["page_obj"].number == 1


def test_my_registrations_beyond_the_first_page_are_reachable(client):
    user = org_admin(OrganisationFactory())
    organisation = user.organisation_memberships.get().organisation
    event = EventFactory(capacity=None)
    for _ in range(51):
        RegistrationFactory(event=event, participant=ParticipantFactory(organisation=organisation))
    client.force_login(user)
    first = client.get(reverse("events:registration-list"))
    assert len(first.context["registrations"]) == 50
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("events:registration-list"), {"page": 2})
    assert len(second.context["registrations"]) == 1


def test_participant_list_is_paginated(client):
    user = org_admin(OrganisationFactory())
    organisation = user.organisation_memberships.get().organisation
    for _ in range(51):
        ParticipantFactory(organisation=organisation)
    client.force_login(user)
    first = client.get(reverse("events:participant-list"))
    assert len(first.context["participants"]) == 50
    assert 'href="?page=2"' in first.content.decode()
    assert (
        len(client.get(reverse("events:participant-list"), {"page": 2}).context["participants"])
        == 1
    )


def test_check_in_search_redirect_keeps_the_csrf_token_out_of_the_url(client, running_event):
    _confirmed(running_event, name="郑*（虚构）")
    client.force_login(FederationStaffFactory())
    url = reverse("events:check-in", args=[running_event.slug])
    response = client.post(url, {"q": "郑", "csrfmiddlewaretoken": "secret-token-value"})
    assert response.status_code == 302
    assert "secret-token-value" not in response["Location"]
    assert "csrfmiddlewaretoken" not in response["Location"]
    assert len(client.get(response["Location"]).context["results"]) == 1


def test_cancelling_a_registration_asks_for_confirmation_first(client):
    user = org_admin(OrganisationFactory())
    registration = _registered(user)
    client.force_login(user)
    url = reverse("events:registration-cancel", args=[registration.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    listing = client.get(reverse("events:registration-list")).content.decode()
    assert f'href="{url}"' in listing
    # Another organisation cannot even see the confirmation page.
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(url).status_code == 404


def test_cancelling_a_visitor_ticket_asks_for_confirmation_first(client):
    event = EventFactory(visitor_signup=True)
    _signup(client, event)
    registration = Registration.objects.get()
    url = reverse("events:ticket-cancel", args=[registration.token])
    page = client.get(url)
    assert page.status_code == 200 and f'action="{url}"' in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert client.get(reverse("events:ticket-cancel", args=["not-a-token"])).status_code == 404


def test_marking_no_shows_asks_for_confirmation_first(client, running_event):
    waiting = _confirmed(running_event)
    url = reverse("events:mark-no-shows", args=[running_event.slug])
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(url).status_code == 404
    client.force_login(FederationStaffFactory())
    page = client.get(url)
    assert page.status_code == 200 and f'action="{url}"' in page.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    client.post(url)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.NO_SHOW


def test_secretary_event_list_is_paginated(client):
    for _ in range(51):
        EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("owners"))
    client.force_login(secretary_of("owners"))
    url = reverse("events:secretary-event-list")
    first = client.get(url)
    assert len(first.context["events"]) == 50 and 'href="?page=2"' in first.content.decode()
    assert len(client.get(url, {"page": "2"}).context["events"]) == 1
    assert client.get(url, {"page": "x"}).context["page_obj"].number == 1


def test_register_page_says_when_registration_is_not_open(client):
    client.force_login(org_admin(OrganisationFactory()))
    client.cookies["django_language"] = "en"
    closed = EventFactory(registration_opens_at=in_days(3))
    response = client.get(reverse("events:registration-create", args=[closed.slug]))
    assert response.context["registration_open"] is False
    assert "Registration is not open." in response.content.decode()
    client.cookies["django_language"] = "en"
    open_event = EventFactory()
    response = client.get(reverse("events:registration-create", args=[open_event.slug]))
    assert response.context["registration_open"] is True
    assert "Registration is not open." not in response.content.decode()


def test_check_in_index_is_for_staff_and_secretaries_only(client, running_event):
    url = reverse("events:check-in-index")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(url).status_code == 404
    other = EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("elderly"),
        starts_at=running_event.starts_at,
        ends_at=running_event.ends_at,
    )
    client.force_login(secretary_of("community"))
    assert list(client.get(url).context["events"]) == [running_event]
    client.force_login(FederationStaffFactory())
    assert set(client.get(url).context["events"]) == {running_event, other}


def test_secretary_list_offers_edit_only_for_trainings_and_team_building(client):
    training = EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("owners"))
    caravan = EventFactory(kind=Event.Kind.CARAVAN, alliance=alliance("owners"))
    client.force_login(secretary_of("owners"))
    body = client.get(reverse("events:secretary-event-list")).content.decode()
    assert reverse("events:secretary-event-update", args=[training.pk]) in body
    assert reverse("events:secretary-event-update", args=[caravan.pk]) not in body
