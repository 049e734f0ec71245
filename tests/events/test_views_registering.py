"""Visitors signing up, tickets, the register page (events.views.registering)."""

import pytest
from django.urls import reverse

from events.models import Registration
from tests.federation.factories import OrgAdminFactory

from .factories import EventFactory, in_days

pytestmark = pytest.mark.django_db


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


def test_register_page_says_when_registration_is_not_open(client):
    client.force_login(OrgAdminFactory().user)
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


def test_a_visitor_signup_post_loads_the_event_without_joins_or_activities(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = EventFactory(visitor_signup=True, capacity=30)
    with CaptureQueriesContext(connection) as queries:
        assert _signup(client, event).status_code == 302

    reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "events_event"."id"')]
    # One read before the lock (title, date, places left), one locked read in the service;
    # no festival activities and no joined alliance, organisation or hub per POST.
    assert len(reads) == 2
    assert 'JOIN "federation_organisation"' not in reads[0]
