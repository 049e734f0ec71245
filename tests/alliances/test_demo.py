from io import StringIO

import pytest
from allauth.account.models import EmailAddress

from alliances import demo
from alliances.models import Alliance, AllianceMembership, AllianceMembershipChange
from notifications.models import Message
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def _counts():
    return (
        AllianceMembership.objects.count(),
        AllianceMembershipChange.objects.count(),
        Message.objects.count(),
        EmailAddress.objects.count(),
    )


def test_demo_gives_every_organisation_one_to_three_alliances_and_is_idempotent():
    FederationStaffFactory()
    organisations = [OrganisationFactory() for _ in range(9)]
    for organisation in organisations[:4]:
        OrgAdminFactory(organisation=organisation)
    lapsed = OrganisationFactory(status="lapsed")
    demo.seed(StringIO())
    first = _counts()
    demo.seed(StringIO())
    assert _counts() == first

    for organisation in organisations:
        active = organisation.alliance_memberships.active().count()
        assert 1 <= active <= 3
    assert not lapsed.alliance_memberships.exists()
    assert AllianceMembership.objects.filter(status="pending").count() == 2
    assert Message.objects.filter(kind="alliance_application_received").count() == 2
    for alliance in Alliance.objects.select_related("secretary", "lead_organisation"):
        assert alliance.secretary.email == f"secretary-{alliance.code}@yilu.example"
        assert "虚构" in alliance.secretary.name
        assert EmailAddress.objects.get(user=alliance.secretary).verified
        assert (
            alliance.memberships.active().filter(organisation=alliance.lead_organisation).exists()
        )


def test_demo_tolerates_no_organisations_and_no_staff():
    demo.seed(StringIO())
    assert not AllianceMembership.objects.exists()
    assert Alliance.objects.filter(secretary__isnull=True).count() == 7
    FederationStaffFactory()
    demo.seed(StringIO())
    assert Alliance.objects.filter(secretary__isnull=False).count() == 7
    assert Alliance.objects.filter(lead_organisation__isnull=False).count() == 0
