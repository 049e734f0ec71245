"""A cancellation says what it did, a promotion from the waiting list included (issue 16)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from events import services
from tests.federation.factories import OrgAdminFactory

from .factories import EventFactory, ParticipantFactory, organisation_of

pytestmark = pytest.mark.django_db


def _said(response) -> list[str]:
    """The messages this request added (earlier, unread ones left aside)."""
    return [str(message) for message in get_messages(response.wsgi_request)._queued_messages]


def _register(user, event, name):
    participant = ParticipantFactory(organisation=organisation_of(user), name=name)
    return services.registration_create(event=event, participant=participant, acting_user=user)


def test_a_promotion_in_the_same_organisation_names_the_person(client):
    user = OrgAdminFactory().user
    event = EventFactory(capacity=1)
    place = _register(user, event, "王一（虚构）")
    _register(user, event, "李二（虚构）")
    client.force_login(user)
    response = client.post(reverse("events:registration-cancel", args=[place.pk]))
    assert _said(response) == ["已取消王一（虚构）的报名；候补的李二（虚构）已递补。"]


def test_a_promotion_in_another_organisation_is_told_without_a_name(client):
    user = OrgAdminFactory().user
    other = OrgAdminFactory().user
    event = EventFactory(capacity=1)
    place = _register(user, event, "王一（虚构）")
    _register(other, event, "赵三（虚构）")
    client.force_login(user)
    response = client.post(reverse("events:registration-cancel", args=[place.pk]))
    assert _said(response) == ["已取消王一（虚构）的报名；一位候补者已递补该名额。"]


def test_a_cancellation_without_a_waiting_list_says_only_that(client):
    user = OrgAdminFactory().user
    place = _register(user, EventFactory(capacity=5), "王一（虚构）")
    client.force_login(user)
    response = client.post(reverse("events:registration-cancel", args=[place.pk]))
    assert _said(response) == ["王一（虚构）的报名已取消。"]


def test_a_visitor_cancelling_learns_a_waitlisted_person_moved_up(client):
    event = EventFactory(capacity=1, visitor_signup=True)
    visitor = services.registration_create_for_visitor(
        event=event, name="访客（虚构）", mobile="13700000001"
    )
    _register(OrgAdminFactory().user, event, "赵三（虚构）")
    response = client.post(reverse("events:ticket-cancel", args=[visitor.token]))
    assert _said(response) == ["您的报名已取消；一位候补者已递补该名额。"]


def test_a_cancelled_row_offers_no_e_ticket(client):
    user = OrgAdminFactory().user
    event = EventFactory()
    kept = _register(user, event, "王一（虚构）")
    gone = _register(user, event, "李二（虚构）")
    services.registration_cancel(registration=gone, acting_user=user)
    client.force_login(user)
    html = client.get(reverse("events:registration-list")).content.decode()
    assert reverse("events:registration-detail", args=[kept.pk]) in html
    assert reverse("events:registration-detail", args=[gone.pk]) not in html
