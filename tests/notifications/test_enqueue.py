import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Message
from notifications.services import message_enqueue
from tests.federation.factories import UserFactory

pytestmark = pytest.mark.django_db


def _enqueue(**kwargs):
    defaults = {
        "kind": "event_starts",
        "template": "events/email/event_starts",
        "context": {"event_title": "静安公益节", "starts_at": timezone.now()},
        "dedupe_key": "test:1",
    }
    defaults.update(kwargs)
    with transaction.atomic():
        return message_enqueue(**defaults)


def test_message_enqueue_sends_immediate_message_after_commit(
    ordinary_day, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue(recipient=user)
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "静安公益节" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_message_enqueue_refuses_outside_a_transaction():
    with pytest.raises(AssertionError):
        message_enqueue(
            kind="event_starts",
            email="a@example.com",
            template="events/email/event_starts",
            dedupe_key="x",
        )


def test_message_enqueue_second_insert_with_same_key_is_a_noop(ordinary_day):
    first = _enqueue(
        email="visitor@example.com", due_at=timezone.now() + datetime.timedelta(days=1)
    )
    second = _enqueue(email="other@example.com")
    assert first is not None
    assert second is None
    assert Message.objects.count() == 1


def test_message_enqueue_keeps_datetime_date_and_decimal(ordinary_day):
    starts = timezone.now().replace(microsecond=0)
    _enqueue(
        email="v@example.com",
        context={
            "starts_at": starts,
            "on": datetime.date(2024, 2, 29),
            "amount": Decimal("36000.00"),
        },
        due_at=starts + datetime.timedelta(days=1),
    )
    from notifications.context import context_decode

    context = context_decode(Message.objects.get().context)
    assert context == {
        "starts_at": starts,
        "on": datetime.date(2024, 2, 29),
        "amount": Decimal("36000.00"),
    }


def test_message_enqueue_survives_an_unreachable_broker(
    ordinary_day, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from kombu.exceptions import OperationalError

    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    user = UserFactory(email="private.person@example.com")
    monkeypatch.setattr(tasks.message_dispatch, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue(recipient=user)
    message.refresh_from_db()
    assert message.state == Message.State.PENDING
    assert mail.outbox == []
    assert "not queued" in caplog.text
    assert "private.person" not in caplog.text
    monkeypatch.undo()

    assert tasks.message_dispatch_due.delay().get() == 1
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert len(mail.outbox) == 1
