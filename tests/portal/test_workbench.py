"""The workbench (/work/): every back-office tool one tap from the header, each only to its role."""

import pytest
from django.urls import reverse

from tests.federation.factories import FederationStaffFactory, UserFactory
from tests.funds.factories import FundManagerFactory

pytestmark = pytest.mark.django_db

STAFF_TOOLS = [
    "caravan:manage",
    "caravan:matrix",
    "caravan:totals",
    "festival:nomination-review",
    "volunteers:volunteer-list",
    "events:check-in-index",
    "dashboard:index",
]


def _links(client):
    response = client.get(reverse("portal:workbench"))
    assert response.status_code == 200
    return response.content.decode()


def test_federation_staff_reach_every_programme_tool_from_the_workbench(client):
    client.force_login(FederationStaffFactory())
    html = _links(client)
    for name in STAFF_TOOLS:
        assert f'href="{reverse(name)}"' in html, name


def test_a_fund_manager_sees_the_fund_tools_and_none_of_the_federation_staffs(client):
    manager = FundManagerFactory()
    client.force_login(manager)
    html = _links(client)
    assert 'href="/fund/manage/' in html
    for name in STAFF_TOOLS:
        assert f'href="{reverse(name)}"' not in html, name


def test_a_member_without_a_role_has_no_workbench(client):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:workbench")).status_code == 404
