"""Fixtures for the events tests; factories and helpers are in ``factories.py``."""

import pytest

from tests.federation.factories import OrgAdminFactory


@pytest.fixture
def org_user():
    """An org admin of a fresh active organisation."""
    return OrgAdminFactory().user


@pytest.fixture(autouse=True)
def _on_an_ordinary_day(ordinary_day):
    """Every test here starts on a fixed day (tests/conftest.py), not on the day the suite runs."""
