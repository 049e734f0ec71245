import datetime
import itertools

import factory
from django.db import transaction

from core.timezone import SHANGHAI
from notifications.services import message_enqueue
from tests.events import factories as events_factories


def shanghai(*args) -> datetime.datetime:
    """An aware Asia/Shanghai datetime: ``shanghai(2024, 3, 1, 10)``."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


class EventFactory(events_factories.EventFactory):
    """The events app's event, far ahead (2030) and without a capacity: the rules only read it."""

    slug = factory.Sequence(lambda n: f"notifications-event-{n}")
    summary = ""
    starts_at = factory.LazyFunction(lambda: shanghai(2030, 3, 1, 10))
    capacity = None
    waitlist_enabled = False


class ParticipantFactory(events_factories.ParticipantFactory):
    mobile = factory.Sequence(lambda n: f"137{n:08d}")


class RegistrationFactory(events_factories.RegistrationFactory):
    """The events app's registration, with an e-mail and made 20 days before the event."""

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory)
    email = factory.Sequence(lambda n: f"participant{n}@example.com")
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
