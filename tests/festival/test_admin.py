"""The back office: staff nominate anyone through the service; revoke keeps the number."""

import pytest
from django.urls import reverse

from festival import services
from festival.models import Award, AwardType, Nomination
from tests.federation.factories import FederationStaffFactory, OrganisationFactory

from .factories import award_type, honour_round

pytestmark = pytest.mark.django_db


def test_staff_nominate_a_person_by_name_and_an_organisation(client):
    staff = FederationStaffFactory()
    client.force_login(staff)
    people = honour_round(award_type("YXZYZ", "优秀志愿者"), year=2026)
    organisations = honour_round(
        award_type("YXSHZZ", "优秀社会组织", AwardType.Recipient.ORGANISATION), year=2026
    )
    url = reverse("admin:festival_nomination_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"round": people.pk, "nominee_name": "赵*（虚构）", "reason": "热心"}
    )
    assert response.status_code == 302
    refused = client.post(url, {"round": organisations.pk, "nominee_name": "", "reason": "x"})
    assert refused.status_code == 200  # the organisation is required: the form says so
    organisation = OrganisationFactory()
    client.post(url, {"round": organisations.pk, "nominee_organisation": organisation.pk,
                      "reason": "服务出色"})  # fmt: skip
    assert sorted(Nomination.objects.values_list("nominee_name", flat=True)) == sorted(
        ["赵*（虚构）", organisation.name]
    )
    assert set(Nomination.objects.values_list("created_by", flat=True)) == {staff.pk}


def test_accept_and_revoke_actions(client):
    staff = FederationStaffFactory()
    client.force_login(staff)
    round = honour_round(year=2026)
    nomination = Nomination.objects.create(round=round, nominee_name="钱*（虚构）", reason="x")
    client.post(
        reverse("admin:festival_nomination_changelist"),
        {"action": "accept", "_selected_action": [nomination.pk]},
    )
    award = Award.objects.get()
    assert award.number == "BYXF-2026-001"
    client.post(
        reverse("admin:festival_award_changelist"),
        {"action": "revoke", "_selected_action": [award.pk]},
    )
    award.refresh_from_db()
    assert award.is_revoked
    again = services.award_grant(
        round=round, recipient_name="孙*（虚构）", organisation=None, acting_user=staff
    )
    assert again.number == "BYXF-2026-002"  # the revoked number stays taken
