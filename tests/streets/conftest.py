import datetime
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.utils import timezone

from caravan.models import BoothApplication
from events.models import Event
from federation.models import Organisation, StreetHub, User
from tests.caravan.factories import caravan_on, hosted, in_days, slot_for
from tests.events.factories import EventFactory, RegistrationFactory
from tests.federation.factories import FederationStaffFactory, OrganisationFactory

from .factories import hub, hub_staff

STREET_A = "310106006"  # 江宁路街道
STREET_B = "310106100"  # 彭浦镇


@dataclass
class Side:
    """One street's hub, its staff member and one object of each kind."""

    hub: StreetHub
    user: User
    organisation: Organisation
    application: Organisation
    hub_event: Event
    street_event: Event
    tag: str

    @cached_property
    def booth(self) -> BoothApplication:
        """A confirmed booth at yesterday's caravan in the street (made when first asked,
        so the street's figures stay as other tests expect)."""
        caravan = caravan_on(in_days(-1), street=self.hub.street, slug=f"caravan-{self.tag}")
        return hosted(slot_for(caravan), organisation=self.organisation)


def _side(code: str, tag: str) -> Side:
    street_hub = hub(code)
    staff = hub_staff(code, email=f"hub-{tag}@example.com", name=f"枢纽工作人员{tag}")
    organisation = OrganisationFactory(
        name=f"{tag}街测试服务社（虚构）",
        slug=f"org-{tag}",
        street=street_hub.street,
        contact_person=f"联系人{tag}（虚构）",
        contact_phone="13900001234",
    )
    application = OrganisationFactory(
        name=f"{tag}街申请中的协会（虚构）",
        slug=f"applicant-{tag}",
        street=street_hub.street,
        status=Organisation.Status.APPLIED,
    )
    hub_event = EventFactory(
        hub=street_hub,
        street=street_hub.street,
        kind=Event.Kind.OUTREACH,
        status=Event.Status.DRAFT,
        slug=f"hub-event-{tag}",
    )
    street_event = EventFactory(
        street=street_hub.street,
        slug=f"street-event-{tag}",
        # Under way, so check-in is open.
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    return Side(street_hub, staff.user, organisation, application, hub_event, street_event, tag)


@pytest.fixture
def side_a(db) -> Side:
    return _side(STREET_A, "a")


@pytest.fixture
def side_b(db) -> Side:
    return _side(STREET_B, "b")


@pytest.fixture
def federation_staff(db):
    return FederationStaffFactory(email="fed-staff@example.com", name="联合会工作人员甲")


@pytest.fixture
def registration_factory():
    return RegistrationFactory


@pytest.fixture(autouse=True)
def _on_an_ordinary_day(ordinary_day):
    """Every test here starts on a fixed day (tests/conftest.py), not on the day the suite runs."""
