"""The organisation area on /my/ (events.views.my)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory

from .factories import EventFactory, ParticipantFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


# --- Organisation area ------------------------------------------------------------------------


def _registered(user, event=None):
    organisation = user.organisation_memberships.get().organisation
    participant = ParticipantFactory(organisation=organisation)
    return services.registration_create(
        event=event or EventFactory(), participant=participant, acting_user=user
    )


def test_my_registrations_list_ticket_and_cancel(client):
    user = OrgAdminFactory().user
    registration = _registered(user)
    client.force_login(user)
    listing = client.get(reverse("events:registration-list"))
    assert list(listing.context["registrations"]) == [registration]
    ticket = client.get(reverse("events:registration-detail", args=[registration.pk]))
    assert ticket.status_code == 200
    assert (
        "<svg" in ticket.content.decode()
        and registration.check_in_code_display in ticket.content.decode()
    )
    response = client.post(reverse("events:registration-cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_another_organisation_gets_404_on_registrations_and_tickets(client):
    owner = OrgAdminFactory().user
    registration = _registered(owner)
    stranger = OrgAdminFactory().user
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
    user = OrgAdminFactory().user
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
    user = OrgAdminFactory().user
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


def test_my_registrations_beyond_the_first_page_are_reachable(client):
    user = OrgAdminFactory().user
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
    user = OrgAdminFactory().user
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


def test_cancelling_a_registration_asks_for_confirmation_first(client):
    user = OrgAdminFactory().user
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
    client.force_login(OrgAdminFactory().user)
    assert client.get(url).status_code == 404
