import pytest

from .factories import FederationStaffFactory, UserFactory, street


@pytest.fixture
def staff(db):
    return FederationStaffFactory(email="staff-member@example.com", name="工作人员甲")


@pytest.fixture
def applicant(db):
    return UserFactory(email="applicant@example.com", name="申请人", language="en")


@pytest.fixture
def details(db):
    """The registry details of a fictitious social group (valid demo credit code)."""
    return {
        "name": "上海市静安区测试为老服务社（虚构）",
        "short_name": "测试为老社",
        "legal_form": "social_group",
        "credit_code": "51310106MJ00000189",
        "registration_authority": "上海市静安区民政局",
        "legal_representative": "张*明（虚构）",
        "street": street("310106006"),
        "contact_person": "李*（虚构）",
        "contact_phone": "138 0000 0000",
        "contact_email": "Contact@Example.org",
    }


@pytest.fixture(autouse=True)
def _on_an_ordinary_day(ordinary_day):
    """Every test here starts on a fixed day (tests/conftest.py), not on the day the suite runs."""
