"""Fixtures for the fund tests: the Spring Bud Fund, fund managers, an auditor, an organisation."""

import pytest

from federation.models import Street
from funds.chart import seed_spring_bud_fund
from funds.models import Account, Fund
from tests.federation.factories import OrganisationFactory

from .factories import FundAuditorFactory, FundManagerFactory


@pytest.fixture
def fund(db):
    """The Spring Bud Fund with its chart (re-seeded after a transactional test's flush)."""
    return seed_spring_bud_fund(Fund, Account)


@pytest.fixture
def manager(db):
    return FundManagerFactory()


@pytest.fixture
def manager2(db):
    return FundManagerFactory()


@pytest.fixture
def auditor(db):
    return FundAuditorFactory()


@pytest.fixture
def street(db):
    street = Street.objects.order_by("code").first()
    if street is None:
        street = Street.objects.create(
            code="310106006",
            name_zh="江宁路街道",
            name_en="Jiangning Road",
            kind="subdistrict",
            old_district="jingan",
        )
    return street


@pytest.fixture
def organisation(street):
    return OrganisationFactory(street=street)


@pytest.fixture(autouse=True)
def _on_an_ordinary_day(ordinary_day):
    """Every test here starts on a fixed day (tests/conftest.py), not on the day the suite runs."""
