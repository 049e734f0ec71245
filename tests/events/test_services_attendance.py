"""Check-in, no-shows and service hours (events.services.registrations)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.alliances.factories import alliance, secretary_of
from tests.federation.factories import FederationStaffFactory, refusal_code

from .factories import EventFactory, ParticipantFactory, register
from .factories import organisation_of as _org

pytestmark = pytest.mark.django_db


# --- Check-in and hours ------------------------------------------------------------------


@pytest.fixture
def event_now():
    """An event that started ten minutes ago and lasts three hours."""
    start = timezone.now() - datetime.timedelta(minutes=10)
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=3))


def _confirmed(event, user):
    participant = ParticipantFactory(organisation=_org(user))
    return Registration.objects.create(
        event=event,
        participant=participant,
        organisation=participant.organisation,
        name=participant.name,
        mobile=participant.mobile,
        status=Registration.Status.CONFIRMED,
        seat=Registration.objects.filter(event=event).count() + 1,
    )


def test_check_in_is_idempotent_and_credits_the_event_length(event_now, org_user):
    staff = FederationStaffFactory()
    registration = _confirmed(event_now, org_user)
    first = services.registration_check_in(registration=registration, acting_user=staff)
    assert not first.already_checked_in
    assert first.registration.status == "attended"
    assert first.registration.hours == Decimal("3.00")
    checked_in_at = first.registration.checked_in_at
    second = services.registration_check_in(registration=registration, acting_user=staff)
    assert second.already_checked_in
    assert second.registration.checked_in_at == checked_in_at


def test_check_in_refusals(org_user):
    staff = FederationStaffFactory()
    future = EventFactory(capacity=1)
    registration = register(future, org_user)
    assert (
        refusal_code(services.registration_check_in, registration=registration, acting_user=staff)
        == "check_in_not_open"
    )
    waiting = register(future, org_user)
    Event.objects.filter(pk=future.pk).update(
        starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert (
        refusal_code(services.registration_check_in, registration=waiting, acting_user=staff)
        == "not_confirmed"
    )
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=registration, acting_user=org_user)


def test_alliance_secretary_may_check_in_their_events_only(org_user):
    secretary = secretary_of("elderly")
    start = timezone.now() - datetime.timedelta(minutes=5)
    own = EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("elderly"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    other = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    result = services.registration_check_in(
        registration=_confirmed(own, org_user), acting_user=secretary
    )
    assert result.registration.status == "attended"
    with pytest.raises(PermissionDenied):
        services.registration_check_in(
            registration=_confirmed(other, org_user), acting_user=secretary
        )


def test_mark_no_shows_after_start_only(org_user):
    staff = FederationStaffFactory()
    upcoming = EventFactory()
    register(upcoming, org_user)
    assert (
        refusal_code(services.registration_mark_no_shows, event=upcoming, acting_user=staff)
        == "event_not_started"
    )
    start = timezone.now() - datetime.timedelta(hours=1)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    came, missed = _confirmed(event, org_user), _confirmed(event, org_user)
    services.registration_check_in(registration=came, acting_user=staff)
    assert services.registration_mark_no_shows(event=event, acting_user=staff) == 1
    missed.refresh_from_db()
    came.refresh_from_db()
    assert (came.status, missed.status) == ("attended", "no_show")
    # A late arrival can still be checked in.
    services.registration_check_in(registration=missed, acting_user=staff)
    missed.refresh_from_db()
    assert missed.status == "attended"


def test_hours_correction_is_marked_and_bounded_by_the_event_length(event_now, org_user):
    staff = FederationStaffFactory()
    registration = _confirmed(event_now, org_user)
    services.registration_check_in(registration=registration, acting_user=staff)
    corrected = services.registration_hours_correct(
        registration=registration, hours=Decimal("2.5"), note="提前离开", acting_user=staff
    )
    assert corrected.hours == Decimal("2.50")
    assert corrected.hours_corrected and corrected.hours_corrected_by == staff
    assert corrected.hours_note == "提前离开"
    # Exactly the event length is allowed; a minute more is not.
    assert services.registration_hours_correct(
        registration=registration, hours=Decimal("3.00"), acting_user=staff
    ).hours == Decimal("3.00")
    for hours, code in [(Decimal("3.01"), "hours_above_length"), (Decimal("-1"), "hours_negative")]:
        assert (
            refusal_code(
                services.registration_hours_correct,
                registration=registration,
                hours=hours,
                acting_user=staff,
            )
            == code
        )
    registration.refresh_from_db()
    assert registration.hours == Decimal("3.00")


def test_hours_correction_refuses_a_not_attended_registration(event_now, org_user):
    registration = _confirmed(event_now, org_user)
    assert (
        refusal_code(
            services.registration_hours_correct,
            registration=registration,
            hours=Decimal("1"),
            acting_user=FederationStaffFactory(),
        )
        == "not_attended"
    )


def test_hours_correction_is_for_staff_or_the_secretary(event_now, org_user):
    registration = _confirmed(event_now, org_user)
    services.registration_check_in(registration=registration, acting_user=FederationStaffFactory())
    with pytest.raises(PermissionDenied):
        services.registration_hours_correct(
            registration=registration, hours=Decimal("1"), acting_user=org_user
        )


def test_event_update_recomputes_default_hours_and_caps_corrected_ones(event_now, org_user):
    staff = FederationStaffFactory()
    default, corrected = _confirmed(event_now, org_user), _confirmed(event_now, org_user)
    for registration in (default, corrected):
        services.registration_check_in(registration=registration, acting_user=staff)
    services.registration_hours_correct(
        registration=corrected, hours=Decimal("2.75"), acting_user=staff
    )
    services.event_update(
        event=event_now,
        acting_user=staff,
        ends_at=event_now.starts_at + datetime.timedelta(hours=2),
    )
    default.refresh_from_db()
    corrected.refresh_from_db()
    assert default.hours == Decimal("2.00") and not default.hours_corrected
    assert corrected.hours == Decimal("2.00") and corrected.hours_corrected
