import pytest
from django.urls import reverse

from federation.models import HubStaff
from tests.federation.factories import UserFactory

from .factories import hub

pytestmark = pytest.mark.django_db


def _form(street_hub, **changes):
    data = {
        "name": street_hub.name,
        "address": "",
        "contact_person": "秘书处",
        "contact_phone": "021-60000001",
        "contact_email": "",
        "description": "",
        "events_need_approval": "on",
        "staff_email": "",
        "staff-TOTAL_FORMS": "0",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_add_a_hub_member_and_change_the_approval_setting(client, federation_staff):
    street_hub = hub("310106006")
    person = UserFactory(email="new-hub@example.com")
    client.force_login(federation_staff)
    url = reverse("admin:federation_streethub_change", args=[street_hub.pk])
    assert client.get(url).status_code == 200
    data = _form(street_hub, staff_email="New-Hub@example.com")
    del data["events_need_approval"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert HubStaff.objects.get(user=person).hub == street_hub
    street_hub.refresh_from_db()
    assert street_hub.events_need_approval is False


def test_a_person_already_at_another_hub_is_not_moved(client, federation_staff, side_b):
    street_hub = hub("310106006")
    client.force_login(federation_staff)
    url = reverse("admin:federation_streethub_change", args=[street_hub.pk])
    client.post(url, _form(street_hub, staff_email=side_b.user.email))
    assert HubStaff.objects.get(user=side_b.user).hub == side_b.hub


def test_recommendations_are_read_only_for_staff(client, federation_staff):
    client.force_login(federation_staff)
    assert client.get(reverse("admin:federation_hubrecommendation_changelist")).status_code == 200
    assert client.get(reverse("admin:federation_hubrecommendation_add")).status_code == 403
