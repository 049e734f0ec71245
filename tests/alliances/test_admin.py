import pytest

from alliances.models import Alliance, AllianceMembership
from tests.federation.factories import (
    FederationStaffFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import AllianceMembershipFactory, alliance

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(FederationStaffFactory(is_superuser=True))
    return client


def test_membership_admin_pages_render(superuser_client):
    membership = AllianceMembershipFactory(status="pending")
    assert superuser_client.get("/admin/alliances/alliancemembership/").status_code == 200
    url = f"/admin/alliances/alliancemembership/{membership.pk}/change/"
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.get("/admin/alliances/alliancemembership/add/").status_code == 403


def test_membership_admin_action_approves_through_the_service(superuser_client):
    pending = AllianceMembershipFactory(status="pending")
    declined = AllianceMembershipFactory(status="declined")
    superuser_client.cookies["django_language"] = "en"
    response = superuser_client.post(
        "/admin/alliances/alliancemembership/",
        {"action": "approve_selected", "_selected_action": [pending.pk, declined.pk]},
        follow=True,
    )
    pending.refresh_from_db()
    declined.refresh_from_db()
    assert (pending.status, declined.status) == ("active", "declined")
    assert pending.changes.get().to_status == "active"
    assert "already been decided" in response.content.decode()


def test_alliance_admin_sets_lead_and_secretary_and_only_active_leads(superuser_client):
    elderly = alliance()
    lead = OrganisationFactory()
    secretary = UserFactory()
    url = f"/admin/alliances/alliance/{elderly.pk}/change/"
    assert superuser_client.get(url).status_code == 200
    data = {
        "name_zh": elderly.name_zh,
        "name_en": elderly.name_en,
        "description_zh": elderly.description_zh,
        "description_en": elderly.description_en,
        "position": elderly.position,
        "lead_organisation": lead.pk,
        "secretary": secretary.pk,
    }
    assert superuser_client.post(url, data).status_code == 302
    elderly.refresh_from_db()
    assert (elderly.lead_organisation, elderly.secretary) == (lead, secretary)
    data["lead_organisation"] = OrganisationFactory(status="lapsed").pk
    response = superuser_client.post(url, data)
    assert response.status_code == 200  # the form refuses an inactive lead
    elderly.refresh_from_db()
    assert elderly.lead_organisation == lead
    assert Alliance.objects.count() == 7
    assert AllianceMembership.objects.count() == 0


def test_alliance_admin_refuses_an_inactive_secretary_in_the_form(superuser_client):
    elderly = alliance()
    url = f"/admin/alliances/alliance/{elderly.pk}/change/"
    data = {
        "name_zh": elderly.name_zh,
        "name_en": elderly.name_en,
        "description_zh": elderly.description_zh,
        "description_en": elderly.description_en,
        "position": elderly.position,
        "lead_organisation": "",
        "secretary": UserFactory(is_active=False).pk,
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "secretary" in response.context["adminform"].form.errors
    elderly.refresh_from_db()
    assert elderly.secretary is None
