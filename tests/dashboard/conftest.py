"""Fixtures for the dashboard: federation staff, the fund and its managers, a clock."""

import pytest

from tests.federation.factories import FederationStaffFactory
from tests.funds.conftest import fund, manager, manager2  # noqa: F401


@pytest.fixture
def staff(db):
    return FederationStaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
