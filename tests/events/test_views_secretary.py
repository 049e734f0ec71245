"""Alliance secretaries' own events (events.views.secretary)."""

import pytest
from django.urls import reverse

from events.models import Event
from tests.alliances.factories import alliance, secretary_of
from tests.federation.factories import OrgAdminFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db


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
    client.force_login(OrgAdminFactory().user)
    assert client.get(reverse("events:secretary-event-list")).status_code == 404


def test_secretary_event_list_is_paginated(client):
    for _ in range(51):
        EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("owners"))
    client.force_login(secretary_of("owners"))
    url = reverse("events:secretary-event-list")
    first = client.get(url)
    assert len(first.context["events"]) == 50 and 'href="?page=2"' in first.content.decode()
    assert len(client.get(url, {"page": "2"}).context["events"]) == 1
    assert client.get(url, {"page": "x"}).context["page_obj"].number == 1


def test_secretary_list_offers_edit_only_for_trainings_and_team_building(client):
    training = EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("owners"))
    caravan = EventFactory(kind=Event.Kind.CARAVAN, alliance=alliance("owners"))
    client.force_login(secretary_of("owners"))
    body = client.get(reverse("events:secretary-event-list")).content.decode()
    assert reverse("events:secretary-event-update", args=[training.pk]) in body
    assert reverse("events:secretary-event-update", args=[caravan.pk]) not in body
