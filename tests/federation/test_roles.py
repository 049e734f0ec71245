"""Each role does what its name says: fund people hold no federation-staff power."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliances import services as alliance_services
from alliances.models import Alliance, AllianceMembership
from events import services as event_services
from federation.rules import user_is_federation_staff
from funds.roles import FUND_AUDITORS, FUND_MANAGERS
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.federation.factories import FederationStaffFactory, OrganisationFactory, StaffFactory
from tests.funds.factories import FundAuditorFactory, FundManagerFactory

pytestmark = pytest.mark.django_db


def _fund_person(group_name):
    return {FUND_MANAGERS: FundManagerFactory, FUND_AUDITORS: FundAuditorFactory}[group_name]()


@pytest.fixture(params=[FUND_MANAGERS, FUND_AUDITORS])
def fund_person(request):
    return _fund_person(request.param)


def test_only_the_staff_group_and_superusers_are_federation_staff(fund_person):
    assert user_is_federation_staff(FederationStaffFactory())
    assert user_is_federation_staff(StaffFactory(is_superuser=True))
    assert not user_is_federation_staff(fund_person)
    assert not user_is_federation_staff(StaffFactory())
    assert not user_is_federation_staff(FederationStaffFactory(is_active=False))
    assert not user_is_federation_staff(None)


def test_fund_people_cannot_decide_an_alliance_application(fund_person):
    membership = AllianceMembership.objects.create(
        organisation=OrganisationFactory(),
        alliance=Alliance.objects.get(code="elderly"),
        status=AllianceMembership.Status.PENDING,
    )
    with pytest.raises((PermissionDenied, ValidationError)):
        alliance_services.alliance_membership_approve(
            membership=membership, acting_user=fund_person
        )
    membership.refresh_from_db()
    assert membership.status == AllianceMembership.Status.PENDING


def test_fund_people_cannot_check_in_mark_no_shows_or_correct_hours(fund_person):
    event = EventFactory(starts_at=in_days(0, 9), ends_at=in_days(0, 12))
    registration = RegistrationFactory(event=event)
    with pytest.raises(PermissionDenied):
        event_services.registration_check_in(registration=registration, acting_user=fund_person)
    with pytest.raises(PermissionDenied):
        event_services.registration_mark_no_shows(event=event, acting_user=fund_person)
    with pytest.raises(PermissionDenied):
        event_services.registration_hours_correct(
            registration=registration, hours=Decimal("1.0"), acting_user=fund_person
        )
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert registration.status == registration.Status.CONFIRMED


def test_federation_staff_still_check_in():
    event = EventFactory(starts_at=in_days(0, 9), ends_at=in_days(0, 12))
    registration = RegistrationFactory(event=event)
    event_services.registration_check_in(
        registration=registration, acting_user=FederationStaffFactory()
    )
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
