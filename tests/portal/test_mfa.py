"""YILU_STAFF_REQUIRE_MFA covers every staff-role page, in the portal as in /admin/."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.alliances.factories import secretary_of
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory
from tests.funds.factories import FundManagerFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/events/hours/", "/events/check-in/", "/alliances/overview/", "/admin/"]


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.YILU_STAFF_REQUIRE_MFA = True


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_federation_staff_without_totp_are_sent_to_set_it_up(client, path):
    client.force_login(FederationStaffFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_fund_ledger_needs_totp_too(client):
    manager = FundManagerFactory()
    client.force_login(manager)
    assert client.get("/fund/manage/").headers["Location"] == reverse("mfa_activate_totp")


def test_an_alliance_secretary_needs_totp_for_check_in_and_manage_pages(client):
    client.force_login(secretary_of("elderly"))
    for path in ("/alliances/manage/", "/events/check-in/"):
        assert client.get(path).headers.get("Location") == reverse("mfa_activate_totp"), path
    assert client.get("/events/").status_code == 200


def test_staff_with_totp_use_their_pages(client):
    client.force_login(_with_totp(FederationStaffFactory()))
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path


def test_staff_can_still_reach_the_setup_page_and_log_out(client):
    client.force_login(FederationStaffFactory())
    response = client.get(reverse("mfa_activate_totp"))
    assert response.get("Location") != reverse("mfa_activate_totp")
    assert client.post(reverse("account_logout")).status_code == 302


def test_org_users_are_not_asked(client):
    client.force_login(OrgAdminFactory().user)
    assert client.get("/my/").status_code == 200
