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


@pytest.fixture(autouse=True)
def _on_an_ordinary_day(ordinary_day):
    """Every test here starts on a fixed day (tests/conftest.py), not on the day the suite runs."""
