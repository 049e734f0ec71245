import pytest

from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def staff(db):
    return FederationStaffFactory(email="reviewer@example.com", name="审核员")


@pytest.fixture
def mine(db):
    """An org admin of a member organisation."""
    return OrgAdminFactory(
        organisation=OrganisationFactory(name="上海市静安区乐龄服务中心（测试）"),
        user=UserFactory(email="admin-mine@example.com"),
    )


@pytest.fixture
def theirs(db):
    return OrgAdminFactory(
        organisation=OrganisationFactory(name="上海市静安区邻里调解协会（测试）"),
        user=UserFactory(email="admin-theirs@example.com"),
    )
