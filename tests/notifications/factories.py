import datetime
import itertools

import factory
from django.db import transaction
from django.db.models import Max

from core.timezone import SHANGHAI
from events.models import Event, Participant, Registration
from notifications.services import message_enqueue
from tests.federation.factories import OrganisationFactory


def shanghai(*args) -> datetime.datetime:
    """An aware Asia/Shanghai datetime: ``shanghai(2024, 3, 1, 10)``."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.CARAVAN
    title = factory.Sequence(lambda n: f"月月·大篷车 第{n}期")
    slug = factory.Sequence(lambda n: f"notifications-event-{n}")
    starts_at = factory.LazyFunction(lambda: shanghai(2030, 3, 1, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    venue_name = "翰林府邸"
    address = "武定路"
    status = Event.Status.PUBLISHED


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"志愿者{n}（虚构）")
    mobile = factory.Sequence(lambda n: f"137{n:08d}")


def _next_seat(event) -> int:
    top = Registration.objects.filter(event=event).aggregate(top=Max("seat"))["top"]
    return (top or 0) + 1


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration written directly (the rules only read them)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.LazyAttribute(lambda o: o.participant.organisation)
    name = factory.LazyAttribute(lambda o: o.participant.name)
    mobile = factory.LazyAttribute(lambda o: o.participant.mobile)
    email = factory.Sequence(lambda n: f"participant{n}@example.com")
    status = Registration.Status.CONFIRMED
    seat = factory.LazyAttribute(
        lambda o: _next_seat(o.event) if o.status == Registration.Status.CONFIRMED else None
    )
    created_at = factory.LazyAttribute(lambda o: o.event.starts_at - datetime.timedelta(days=20))


_keys = itertools.count(1)


def enqueue(**kwargs):
    """``message_enqueue`` in its own transaction, with test defaults."""
    defaults = {
        "kind": "event_starts",
        "template": "events/email/event_starts",
        "context": {"event_title": "静安公益节", "starts_at": shanghai(2030, 3, 1, 10)},
        "dedupe_key": f"test:{next(_keys)}",
    }
    defaults.update(kwargs)
    with transaction.atomic():
        return message_enqueue(**defaults)
