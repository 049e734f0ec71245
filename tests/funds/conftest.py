"""Fixtures for the fund tests: the Spring Bud Fund, fund managers, an auditor, an organisation."""

import pytest
from django.contrib.auth.models import Group

from federation.models import Street
from funds.chart import seed_spring_bud_fund
from funds.models import Account, Fund
from funds.roles import FUND_AUDITORS, FUND_MANAGERS
from tests.federation.factories import OrganisationFactory, StaffFactory


@pytest.fixture
def fund(db):
    """The Spring Bud Fund with its chart (re-seeded after a transactional test's flush)."""
    return seed_spring_bud_fund(Fund, Account)


def _in_group(user, name):
    group, _created = Group.objects.get_or_create(name=name)
    user.groups.add(group)
    return user


@pytest.fixture
def make_manager(db):
    def make(**kwargs):
        return _in_group(StaffFactory(**kwargs), FUND_MANAGERS)

    return make


@pytest.fixture
def manager(make_manager):
    return make_manager()


@pytest.fixture
def manager2(make_manager):
    return make_manager()


@pytest.fixture
def auditor(db):
    return _in_group(StaffFactory(), FUND_AUDITORS)


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
