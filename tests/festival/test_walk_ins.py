"""The walk-in counter: F() increments, never below zero, who may count; 10 racing phones."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from festival import services
from festival.models import WalkInCount
from tests.events.factories import EventFactory
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory, UserFactory

from .factories import activity_of, festival_event


@pytest.mark.django_db
def test_counting_up_and_down_never_below_zero():
    staff = FederationStaffFactory()
    activity = activity_of(festival_event())
    assert services.walk_in_add(activity=activity, delta=1, acting_user=staff) == 1
    assert services.walk_in_add(activity=activity, delta=5, acting_user=staff) == 6
    assert services.walk_in_add(activity=activity, delta=-1, acting_user=staff) == 5
    with pytest.raises(ValidationError) as error:
        services.walk_in_add(activity=activity, delta=-6, acting_user=staff)
    assert error.value.code == "below_zero"
    assert WalkInCount.objects.get(activity=activity).count == 5


@pytest.mark.django_db
def test_only_festival_activities_and_allowed_people_count():
    staff = FederationStaffFactory()
    with pytest.raises(ValidationError) as error:
        services.walk_in_add(activity=EventFactory(), delta=1, acting_user=staff)
    assert error.value.code == "not_festival"
    admin = OrgAdminFactory()
    own = activity_of(festival_event(), organisation=admin.organisation)
    assert services.walk_in_add(activity=own, delta=2, acting_user=admin.user) == 2
    other = activity_of(festival_event())
    with pytest.raises(PermissionDenied):
        services.walk_in_add(activity=other, delta=1, acting_user=admin.user)
    with pytest.raises(PermissionDenied):
        services.walk_in_add(activity=other, delta=1, acting_user=UserFactory())


@pytest.mark.django_db
def test_counter_page_on_a_phone(client):
    staff = FederationStaffFactory()
    activity = activity_of(festival_event(), slug="market")
    client.force_login(staff)
    url = reverse("festival:walk-in-counter", args=["market"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"delta": "5"})
    assert response.status_code == 302
    client.post(url, {"delta": "1"})
    client.post(url, {"delta": "nonsense"})
    assert WalkInCount.objects.get(activity=activity).count == 6
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_phones_counting_at_once_lose_no_click(postgres_only):
    staff = FederationStaffFactory()
    activity = activity_of(festival_event())
    threads_count, clicks = 10, 20
    barrier = threading.Barrier(threads_count)
    errors = []

    def phone():
        try:
            barrier.wait()
            for _ in range(clicks):
                services.walk_in_add(activity=activity, delta=1, acting_user=staff)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert WalkInCount.objects.get(activity=activity).count == threads_count * clicks
