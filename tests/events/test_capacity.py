"""Capacity is never exceeded: the service's row lock, and the database behind it."""

import datetime
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.federation.factories import OrgAdminFactory, OrganisationFactory

from .factories import EventFactory, ParticipantFactory, RegistrationFactory

THREADS = 40
CAPACITY = 10
ROUNDS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forty_threads_racing_for_ten_places_never_overbook(postgres_only):
    """40 concurrent registrations for 10 places: exactly 10 confirmed, 30 waitlisted, 20 times.

    How to check that this test would catch a missing lock: in
    ``events/services/_common.py::_lock_event_row`` replace
    ``Event.objects.select_for_update(no_key=True)`` by plain
    ``Event.objects`` and run this test on PostgreSQL. The threads then all see
    the same free seats and insert the same seat numbers; the database refuses
    the duplicates (``events_registration_unique_seat``), so the failing
    threads raise IntegrityError instead of being waitlisted and the
    assertions below fail in the first round.
    """
    organisations = [OrganisationFactory() for _ in range(4)]
    users = [OrgAdminFactory(organisation=organisation).user for organisation in organisations]
    people = [
        (users[i % 4], ParticipantFactory(organisation=organisations[i % 4]))
        for i in range(THREADS)
    ]
    events = [EventFactory(capacity=CAPACITY) for _ in range(ROUNDS)]
    # The barrier is reused: every round starts with all 40 threads released at once.
    barrier = threading.Barrier(THREADS)
    statuses: dict[int, list[str]] = {event.pk: [] for event in events}
    errors: list[tuple[int, BaseException]] = []
    lock = threading.Lock()

    def race(user, participant):
        try:
            for round_number, event in enumerate(events):
                barrier.wait(timeout=60)
                try:
                    registration = services.registration_create(
                        event=event, participant=participant, acting_user=user
                    )
                except Exception as error:  # noqa: BLE001 - reported by the assertion
                    with lock:
                        errors.append((round_number, error))
                else:
                    with lock:
                        statuses[event.pk].append(registration.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == [], errors[:3]
    for event in events:
        assert Counter(statuses[event.pk]) == {
            "confirmed": CAPACITY,
            "waitlisted": THREADS - CAPACITY,
        }
        seats = Registration.objects.filter(event=event, seat__isnull=False).values_list(
            "seat", flat=True
        )
        assert sorted(seats) == list(range(1, CAPACITY + 1))
        assert Registration.objects.filter(event=event, status="waitlisted").count() == 30


# --- The database refuses what the service would refuse, without the service --------------


def _raw_insert(event: Event, *, seat: int | None, status: str, mobile: str) -> None:
    """An INSERT that knows nothing of the services (a buggy import, a hand-made fix)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO events_registration (event_id, name, mobile, email, status, seat, token,"
            " check_in_code, created_at, hours_corrected, hours_note)"
            " VALUES (%s, %s, %s, '', %s, %s, %s, %s, %s, %s, '')",
            [
                event.pk,
                "raw（虚构）",
                mobile,
                status,
                seat,
                f"raw-token-{mobile}",
                f"R{mobile[-5:]}",
                timezone.now(),
                False,
            ],
        )


@pytest.mark.django_db
def test_raw_insert_beyond_capacity_is_refused_by_the_database():
    event = EventFactory(capacity=2)
    _raw_insert(event, seat=1, status="confirmed", mobile="13900000001")
    _raw_insert(event, seat=2, status="confirmed", mobile="13900000002")
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_insert(event, seat=3, status="confirmed", mobile="13900000003")
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_insert(event, seat=2, status="confirmed", mobile="13900000004")  # seat taken
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_insert(event, seat=None, status="confirmed", mobile="13900000005")  # seatless
    _raw_insert(event, seat=None, status="waitlisted", mobile="13900000006")
    assert Registration.objects.filter(event=event).holding_seat().count() == 2


@pytest.mark.django_db
def test_unlimited_event_takes_any_seat_number():
    event = EventFactory(capacity=None)
    _raw_insert(event, seat=500, status="confirmed", mobile="13900000001")
    assert Registration.objects.get(event=event).seat == 500


@pytest.mark.django_db
def test_orm_writes_cannot_overbook_or_duplicate_a_live_person():
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=holder.pk).update(seat=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        # The same person twice while live (partial unique constraint).
        Registration.objects.create(
            event=event,
            participant=holder.participant,
            organisation=holder.organisation,
            name=holder.name,
            mobile=holder.mobile,
            status="waitlisted",
        )
    # Once cancelled, the same person may hold a new registration.
    Registration.objects.filter(pk=holder.pk).update(status="cancelled", seat=None)
    RegistrationFactory(event=event, participant=holder.participant)


@pytest.mark.django_db
def test_capacity_cannot_be_cut_below_a_seat_in_use():
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(capacity=1)
    Event.objects.filter(pk=event.pk).update(capacity=2)


@pytest.mark.django_db
def test_hours_above_the_event_length_are_refused_by_the_database():
    event = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    registration = RegistrationFactory(event=event, status="attended")
    Registration.objects.filter(pk=registration.pk).update(hours=Decimal("2.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(hours=Decimal("2.50"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(hours=Decimal("-1"))
