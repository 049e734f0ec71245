import datetime

import factory
from django.db.models import Max
from django.utils import timezone

from events import services
from events.models import Event, Participant, Registration
from tests.federation.factories import OrganisationFactory


def in_days(days: float, hour: int = 9) -> datetime.datetime:
    """An aware Shanghai datetime ``days`` from today at ``hour``:00."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    """A published public event in ten days, 09:00–12:00, open for registration."""

    class Meta:
        model = Event

    kind = Event.Kind.CARAVAN
    title = factory.Sequence(lambda n: f"月月·大篷车 第{n}期")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "便民服务日"
    starts_at = factory.LazyFunction(lambda: in_days(10, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    venue_name = "翰林府邸"
    address = "武定路"
    status = Event.Status.PUBLISHED
    audience = Event.Audience.PUBLIC
    capacity = 10
    waitlist_enabled = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"志愿者{n}（虚构）")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    role = Participant.Role.VOLUNTEER


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration on the next seat, written directly (for read tests)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.LazyAttribute(lambda o: o.participant.organisation)
    name = factory.LazyAttribute(lambda o: o.participant.name)
    mobile = factory.LazyAttribute(lambda o: o.participant.mobile)
    status = Registration.Status.CONFIRMED
    seat = factory.LazyAttribute(
        lambda o: _next_seat(o.event) if o.status in SEAT_STATUSES else None
    )


SEAT_STATUSES = {s.value for s in Registration.SEAT_STATUSES}


def _next_seat(event: Event) -> int:
    top = Registration.objects.filter(event=event).aggregate(top=Max("seat"))["top"]
    return (top or 0) + 1


def organisation_of(user):
    """The one organisation ``user`` belongs to."""
    return user.organisation_memberships.get().organisation


def register(event, user, **participant_kwargs) -> Registration:
    """Register a new participant of ``user``'s organisation through the service."""
    participant = ParticipantFactory(organisation=organisation_of(user), **participant_kwargs)
    return services.registration_create(event=event, participant=participant, acting_user=user)


def resolved(fields: dict) -> dict:
    """Parametrize lists hold ``partial(in_days, ...)``: the day is read when the test
    runs, under its clock, not when the suite is collected."""
    return {name: value() if callable(value) else value for name, value in fields.items()}
