"""The demo hubs: fictitious contacts for all 14, two hub staff logins, one event each way."""

import io

import pytest
from django.core.management import call_command

from events.models import Event
from federation.models import HubRecommendation, HubStaff, StreetHub
from streets.demo import DEMO_PASSWORD, HUB_LOGINS


@pytest.mark.django_db
def test_seed_demo_fills_the_hubs_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    hubs = StreetHub.objects.all()
    assert hubs.count() == 14
    assert all(
        hub.contact_phone.startswith("021-6000") and "虚构" in hub.description for hub in hubs
    )
    assert HubStaff.objects.count() == 2
    assert HubRecommendation.objects.count() == 2
    jiangning = Event.objects.get(hub__street__code="310106006")
    pengpu = Event.objects.get(hub__street__code="310106100")
    assert (jiangning.status, jiangning.review_state) == ("draft", "submitted")
    assert pengpu.status == "published"  # 彭浦镇's events need no approval
    call_command("seed_demo", stdout=io.StringIO())
    assert (HubStaff.objects.count(), Event.objects.filter(hub__isnull=False).count()) == (2, 2)
    for email, *_rest in HUB_LOGINS:
        assert client.login(email=email, password=DEMO_PASSWORD)
        assert client.get("/streets/hub/").status_code == 200
