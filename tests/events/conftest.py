"""Fixtures for the events tests; factories and helpers are in ``factories.py``."""

import pytest

from tests.alliances.factories import org_admin
from tests.federation.factories import OrganisationFactory


@pytest.fixture
def org_user():
    """An org admin of a fresh active organisation."""
    return org_admin(OrganisationFactory())
