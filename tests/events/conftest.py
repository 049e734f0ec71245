"""Fixtures for the events tests; factories and helpers are in ``factories.py``."""

import pytest

from tests.federation.factories import OrgAdminFactory


@pytest.fixture
def org_user():
    """An org admin of a fresh active organisation."""
    return OrgAdminFactory().user
