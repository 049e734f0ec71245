import io

import pytest
from django.core import mail

from notifications.models import Message
from portal import demo
from tests.federation.factories import UserFactory
from tests.notifications.factories import EventFactory, shanghai

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_mails_nobody(clock, django_capture_on_commit_callbacks):
    clock.set(shanghai(2030, 1, 1, 12))
    for email in demo.DEMO_EMAILS:
        UserFactory(email=email)
    UserFactory(email="real.person@gmail.com")
    EventFactory(starts_at=shanghai(2030, 1, 20, 10))
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(io.StringIO())
        demo.seed(io.StringIO())
    assert Message.objects.count() == 2
    assert set(Message.objects.values_list("recipient__email", flat=True)) == set(demo.DEMO_EMAILS)
    assert set(Message.objects.values_list("state", flat=True)) == {Message.State.PENDING}
    assert mail.outbox == []


def test_demo_seed_without_event_does_nothing():
    demo.seed(io.StringIO())
    assert not Message.objects.exists()
