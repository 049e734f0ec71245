import pytest
from django.db import IntegrityError, transaction

from alliances.models import Alliance, AllianceMembership
from tests.federation.factories import OrganisationFactory

from .factories import AllianceMembershipFactory, alliance

pytestmark = pytest.mark.django_db

SEVEN = {
    "elderly": ("为老服务联盟", "Elderly Services Alliance"),
    "community": ("社区服务联盟", "Community Services Alliance"),
    "youth": ("青年志愿联盟", "Youth Volunteering Alliance"),
    "new-strata": ("新的社会阶层人士联盟", "New Social Strata Alliance"),
    "mediation": ("社区调处联盟", "Community Mediation Alliance"),
    "owners": ("业委会建设联盟", "Owners' Committee Building Alliance"),
    "philanthropy": ("公益慈善联盟", "Philanthropy Alliance"),
}


def test_the_seven_alliances_exist_after_migrate_with_both_names():
    found = {a.code: (a.name_zh, a.name_en) for a in Alliance.objects.all()}
    assert found == SEVEN
    assert all(a.description_zh and a.description_en for a in Alliance.objects.all())
    assert [a.code for a in Alliance.objects.all()][:2] == ["elderly", "community"]


def test_alliance_name_follows_the_active_language():
    from django.utils import translation

    elderly = alliance("elderly")
    with translation.override("en"):
        assert elderly.name == "Elderly Services Alliance"
    with translation.override("zh-hans"):
        assert elderly.name == "为老服务联盟"


@pytest.mark.parametrize("status", ["pending", "active"])
def test_constraint_allows_one_live_membership_per_organisation_and_alliance(status):
    organisation = OrganisationFactory()
    AllianceMembershipFactory(organisation=organisation, status=status)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllianceMembershipFactory(organisation=organisation, status="pending")


def test_constraint_keeps_past_rows_as_history():
    organisation = OrganisationFactory()
    AllianceMembershipFactory(organisation=organisation, status="left")
    AllianceMembershipFactory(organisation=organisation, status="declined")
    AllianceMembershipFactory(organisation=organisation, status="active")
    AllianceMembershipFactory(organisation=organisation, alliance=alliance("youth"))
    assert AllianceMembership.objects.filter(organisation=organisation).count() == 4
    assert organisation.alliance_memberships.active().count() == 2


def test_staff_group_may_import_and_export_memberships():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="联合会工作人员")
    codenames = set(
        group.permissions.filter(content_type__app_label="alliances").values_list(
            "codename", flat=True
        )
    )
    assert {
        "import_alliancemembership",
        "export_alliancemembership",
        "change_alliance",
    } <= codenames
    assert "add_alliancemembership" not in codenames
