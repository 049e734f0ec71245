"""Fixtures for the dashboard: federation staff, the fund and its managers, a clock."""

import pytest
from django.contrib.auth.models import Group

from federation.models import STAFF_GROUP_NAME
from tests.federation.factories import StaffFactory
from tests.funds.conftest import fund, make_manager, manager, manager2  # noqa: F401


@pytest.fixture
def staff(db):
    user = StaffFactory()
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP_NAME)[0])
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
