"""Hub staff record people served at booths of caravans held in their own street only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from caravan.models import ServiceRecord
from caravan.services import service_record_save
from tests.federation.factories import UserFactory

from .factories import hub_staff


def _record_url(booth):
    return reverse("streets:hub-booth-record", kwargs={"pk": booth.pk})


def test_hub_staff_record_people_served_in_their_street(client, side_a, side_b):
    client.force_login(side_a.user)
    response = client.post(_record_url(side_a.booth), {"people_served": 42, "note": "血压测量"})
    assert response.status_code == 302
    assert response["Location"] == reverse("streets:hub-caravans")
    record = ServiceRecord.objects.get(application=side_a.booth)
    assert (record.people_served, record.recorded_by) == (42, side_a.user)
    assert record.organisation_id == side_a.organisation.pk
    # The form shows the saved figure, and a second save corrects it (one record).
    assert client.get(_record_url(side_a.booth)).context["form"].initial["people_served"] == 42
    client.post(_record_url(side_a.booth), {"people_served": 45})
    assert ServiceRecord.objects.get(application=side_a.booth).people_served == 45


def test_another_streets_booth_is_a_404_and_records_nothing(client, side_a, side_b):
    client.force_login(side_a.user)
    assert client.get(_record_url(side_b.booth)).status_code == 404
    assert client.post(_record_url(side_b.booth), {"people_served": 9}).status_code == 404
    assert not ServiceRecord.objects.filter(application=side_b.booth).exists()


def test_the_list_shows_only_the_own_streets_booths(client, side_a, side_b):
    mine, theirs = side_a.booth, side_b.booth
    client.force_login(side_a.user)
    response = client.get(reverse("streets:hub-caravans"))
    assert list(response.context["booths"]) == [mine]
    assert theirs.organisation.name not in response.content.decode()


def test_non_hub_users_cannot_record(client, side_a, federation_staff):
    url = _record_url(side_a.booth)
    assert client.post(url, {"people_served": 3}).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.post(url, {"people_served": 3}).status_code == 404
    client.force_login(federation_staff)  # staff record from the caravan's own pages
    assert client.post(url, {"people_served": 3}).status_code == 404
    assert not ServiceRecord.objects.exists()


def test_the_record_permission_asks_the_street_of_the_caravan(side_a, side_b):
    """The caravan's own rule: hub staff of the caravan's street pass, another hub does not."""
    assert side_a.user.has_perm("caravan.record_people_served", side_a.booth)
    assert not side_a.user.has_perm("caravan.record_people_served", side_b.booth)
    assert not side_a.user.has_perm("caravan.host_booth", side_a.booth)  # no withdrawing
    second_of_a = hub_staff(side_a.hub.street.code).user
    assert second_of_a.has_perm("caravan.record_people_served", side_a.booth)
    assert not UserFactory().has_perm("caravan.record_people_served", side_a.booth)


def test_the_service_refuses_another_hubs_staff(side_a, side_b):
    with pytest.raises(PermissionDenied):
        service_record_save(application=side_b.booth, people_served=5, acting_user=side_a.user)
    with pytest.raises(PermissionDenied):
        service_record_save(application=side_a.booth, people_served=5, acting_user=UserFactory())
    assert not ServiceRecord.objects.exists()
    record = service_record_save(application=side_a.booth, people_served=5, acting_user=side_a.user)
    assert record.people_served == 5


def test_list_queries_stay_constant(client, side_a, django_assert_max_num_queries):
    from tests.caravan.factories import caravan_on, hosted, in_days, slot_for

    assert side_a.booth  # one booth to start with
    client.force_login(side_a.user)
    url = reverse("streets:hub-caravans")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for days in (2, 3, 4):
        caravan = caravan_on(in_days(-days), street=side_a.hub.street)
        for position in (1, 2):
            hosted(slot_for(caravan, position=position), organisation=side_a.organisation)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["booths"]) == 7


def test_a_future_caravans_booth_waits_for_the_day(client, side_a):
    from tests.caravan.factories import caravan_on, hosted, in_days, slot_for

    booth = hosted(
        slot_for(caravan_on(in_days(5), street=side_a.hub.street)),
        organisation=side_a.organisation,
    )
    client.force_login(side_a.user)
    page = client.get(reverse("streets:hub-caravans")).content.decode()
    assert _record_url(booth) not in page
    response = client.post(_record_url(booth), {"people_served": 7})
    assert response.status_code == 200  # the service's too_early refusal, on the form
    assert response.context["form"].errors
    assert not ServiceRecord.objects.filter(application=booth).exists()
