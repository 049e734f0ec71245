"""One volunteer across organisations: joined by a verified mobile or by staff, never guessed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from events.selectors import star_level
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory
from volunteers import selectors, services
from volunteers.models import Volunteer, VolunteerLink

pytestmark = pytest.mark.django_db


def _hours(participant, hours):
    event = EventFactory()
    event.ends_at = event.starts_at + datetime.timedelta(hours=int(Decimal(hours)) + 1)
    event.save(update_fields=["ends_at"])
    return RegistrationFactory(
        event=event, participant=participant, status="attended", hours=Decimal(hours)
    )


@pytest.fixture
def two_rows():
    """The same person (one mobile) volunteering for two organisations."""
    first = ParticipantFactory(name="周*（虚构）", mobile="13912345678")
    second = ParticipantFactory(name="周*（虚构）", mobile="13912345678")
    _hours(first, "60.00")
    _hours(first, "30.00")
    _hours(second, "25.50")
    return first, second


def test_a_verified_mobile_joins_both_rows_into_one_total(two_rows):
    first, second = two_rows
    assert Volunteer.objects.count() == 0  # nothing is joined before the mobile is proven
    volunteer = services.volunteer_verify_mobile(mobile="13912345678")
    assert volunteer.links.count() == 2
    assert selectors.volunteer_total_hours(volunteer=volunteer) == Decimal("115.50")
    [summary] = selectors.volunteer_list_summaries(selectors.volunteer_list())
    assert summary.total_hours == Decimal("115.50")
    assert summary.stars == 1 == star_level(Decimal("115.50"))
    # Verifying again changes nothing.
    assert services.volunteer_verify_mobile(mobile="13912345678") == volunteer
    assert Volunteer.objects.count() == 1
    assert services.volunteer_verify_mobile(mobile="13800000000") is None


def test_each_organisation_still_sees_only_its_own_rows(two_rows):
    first, second = two_rows
    services.volunteer_verify_mobile(mobile="13912345678")
    mine = selectors.volunteer_rows_for_organisation(organisation=first.organisation)
    assert [(row.participant, row.hours) for row in mine] == [(first, Decimal("90.00"))]
    theirs = selectors.volunteer_rows_for_organisation(organisation=second.organisation)
    assert [(row.participant, row.hours) for row in theirs] == [(second, Decimal("25.50"))]


def test_the_organisation_page_shows_its_hours_not_the_others(client, two_rows):
    first, second = two_rows
    services.volunteer_verify_mobile(mobile="13912345678")
    admin = OrgAdminFactory(organisation=second.organisation)
    client.force_login(admin.user)
    response = client.get(reverse("volunteers:my-volunteer-list"))
    content = response.content.decode()
    assert "25.50" in content
    assert "115.50" not in content and "90.00" not in content


def test_staff_merge_joins_rows_with_different_mobiles(two_rows):
    staff = FederationStaffFactory()
    other = ParticipantFactory(name="周*（虚构）", mobile="13700000001")
    _hours(other, "10.00")
    admin = OrgAdminFactory(organisation=other.organisation)
    own = services.volunteer_get_or_create_for_participant(
        participant=other, acting_user=admin.user
    )
    joined = services.volunteer_verify_mobile(mobile="13912345678")
    with pytest.raises(PermissionDenied):
        services.volunteer_merge(target=joined, source=own, acting_user=admin.user)
    merged = services.volunteer_merge(target=joined, source=own, acting_user=staff)
    assert merged.links.count() == 3
    assert not Volunteer.objects.filter(pk=own.pk).exists()
    assert selectors.volunteer_total_hours(volunteer=merged) == Decimal("125.50")
    assert set(VolunteerLink.objects.values_list("method", flat=True)) == {"mobile", "merge"}


def test_staff_merge_refuses_two_different_verified_mobiles():
    staff = FederationStaffFactory()
    ParticipantFactory(mobile="13911110000")
    ParticipantFactory(mobile="13922220000")
    first = services.volunteer_verify_mobile(mobile="13911110000")
    second = services.volunteer_verify_mobile(mobile="13922220000")
    with pytest.raises(ValidationError) as error:
        services.volunteer_merge(target=first, source=second, acting_user=staff)
    assert error.value.code == "different_mobiles"


def test_staff_list_page(client, two_rows, django_assert_max_num_queries):
    services.volunteer_verify_mobile(mobile="13912345678")
    for n in range(5):
        row = ParticipantFactory(mobile=f"1380000{n:04d}")
        _hours(row, "3.00")
        services.volunteer_verify_mobile(mobile=row.mobile)
    client.force_login(FederationStaffFactory())
    with django_assert_max_num_queries(14):
        response = client.get(reverse("volunteers:volunteer-list"))
    assert response.status_code == 200
    assert "115.50" in response.content.decode()


def test_staff_list_pages_by_fifty_and_keeps_the_search(client, django_assert_max_num_queries):
    Volunteer.objects.bulk_create(Volunteer(name=f"志愿者{n:03d}（虚构）") for n in range(55))
    Volunteer.objects.create(name="另一位（虚构）")
    client.force_login(FederationStaffFactory())
    url = reverse("volunteers:volunteer-list")
    with django_assert_max_num_queries(14):
        first = client.get(url).content.decode()
    assert "志愿者000" in first and "志愿者049" not in first  # 另一位 sorts first
    assert "志愿者048" in first and "page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "志愿者049" in second and "志愿者054" in second and "志愿者000" not in second
    # A search pages too, and the next-page link keeps it.
    searched = client.get(url, {"q": "志愿者"}).content.decode()
    assert "q=%E5%BF%97%E6%84%BF%E8%80%85&amp;page=2" in searched
    assert "另一位" not in searched
    # A stale page number shows the last page, never a 404.
    assert "志愿者054" in client.get(url, {"page": 99}).content.decode()
