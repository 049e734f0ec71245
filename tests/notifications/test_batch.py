"""Batch sending: one task and one mail connection per claimed batch, each outcome recorded,
every guarantee of a single send kept (claim tokens, the sweeper, retries, unsubscriptions)."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import tasks
from notifications.channels import EmailChannel
from notifications.models import Message, Unsubscription
from notifications.services import message_claim_due, message_sweep_stuck
from notifications.services_delivery import message_deliver_batch
from tests.federation.factories import UserFactory
from tests.notifications.factories import enqueue, shanghai
from tests.notifications.mail_backends import Counting, Died

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counting_backend(settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.Counting"
    Counting.reset()
    yield Counting
    Counting.reset()


@pytest.fixture
def published(monkeypatch):
    """The batch tasks handed to the broker, run as they are handed over."""
    batches = []
    real = tasks.message_send_batch.apply_async

    def record(args, **kwargs):
        batches.append(list(args[0]))
        return real(args, **kwargs)

    monkeypatch.setattr(tasks.message_send_batch, "apply_async", record)
    return batches


def pending(addresses: list[str], **kwargs) -> list[Message]:
    """Due messages whose after-commit shortcut did not run (as the dispatcher finds them)."""
    return [enqueue(email=address, **kwargs) for address in addresses]


def addresses(count: int, prefix: str = "person") -> list[str]:
    return [f"{prefix}{number}@example.com" for number in range(count)]


def delivered() -> list[str]:
    return sorted(to for sent in mail.outbox for to in sent.to)


def test_the_dispatcher_queues_one_batch_task_per_batch_and_sends_each_message_once(
    published, settings
):
    settings.NOTIFICATIONS_DISPATCH_BATCH = 4
    messages = pending(addresses(10))
    assert tasks.message_dispatch_due() == 10
    assert [len(batch) for batch in published] == [4, 4, 2]
    assert sorted(pk for batch in published for pk in batch) == sorted(m.pk for m in messages)
    assert delivered() == sorted(addresses(10))
    assert set(Message.objects.values_list("state", "attempts")) == {(Message.State.SENT, 1)}
    assert Counting.opened == 3  # one connection per batch
    assert tasks.message_dispatch_due() == 0
    assert len(mail.outbox) == 10


def test_one_refused_address_fails_only_its_own_message_on_one_connection(clock, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    clock.set(shanghai(2030, 1, 1, 9))
    good = addresses(4)
    messages = pending([*good[:2], "refuse-me@example.com", *good[2:]])
    refused = messages[2]
    assert tasks.message_dispatch_due() == 5
    assert delivered() == sorted(good)
    assert Counting.opened == 1
    refused.refresh_from_db()
    assert (refused.state, refused.attempts, refused.claim_token) == (
        Message.State.PENDING,
        1,
        None,
    )
    assert refused.last_error.startswith("SMTPRecipientsRefused")
    # The retry waits in the database, due after the backoff (base 30 s, half to full).
    waited = refused.due_at - timezone.now()
    assert datetime.timedelta(seconds=15) <= waited <= datetime.timedelta(seconds=30)
    assert tasks.message_dispatch_due() == 0  # not due yet

    clock.advance(seconds=31)
    assert tasks.message_dispatch_due() == 1
    refused.refresh_from_db()
    assert (refused.state, refused.attempts) == (Message.State.FAILED, 2)
    assert refused.last_error.startswith("SMTPRecipientsRefused")
    clock.advance(minutes=30)
    assert tasks.message_dispatch_due() == 0
    assert delivered() == sorted(good)  # the others were never sent again
    assert Message.objects.filter(state=Message.State.SENT).count() == 4


def test_a_message_that_cannot_render_fails_alone(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    (broken,) = pending(["a@example.com"], template="notifications/email/does_not_exist")
    pending(["b@example.com", "c@example.com"])
    assert tasks.message_dispatch_due() == 3
    broken.refresh_from_db()
    assert broken.state == Message.State.FAILED
    assert broken.last_error.startswith("TemplateDoesNotExist")
    assert delivered() == ["b@example.com", "c@example.com"]


def test_a_batch_that_dies_after_k_sends_leaves_the_rest_to_the_sweeper(clock, settings):
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 600
    clock.set(shanghai(2030, 1, 1, 9))
    everyone = addresses(8)
    pending(everyone)
    claimed = message_claim_due()
    token = claimed[0][1]
    Counting.die_after = 3
    with pytest.raises(Died):
        message_deliver_batch(message_ids=[pk for pk, _token in claimed], claim_token=token)
    assert len(mail.outbox) == 3
    # What went out is recorded; the rest is still claimed, untouched.
    states = Message.objects.values_list("state", flat=True)
    assert sorted(states) == [Message.State.SENDING] * 5 + [Message.State.SENT] * 3
    Counting.die_after = None

    clock.advance(minutes=11)
    assert message_sweep_stuck() == 5
    assert tasks.message_dispatch_due() == 5
    # The dead batch's task, redelivered late, holds the old claim: nothing happens.
    late = tasks.message_send_batch.delay([pk for pk, _token in claimed], token).get()
    assert late == {"sent": 0, "skipped": 0, "retried": 0, "failed": 0, "stale": 8}
    assert delivered() == sorted(everyone)  # each exactly once
    assert set(Message.objects.values_list("state", flat=True)) == {Message.State.SENT}


def test_a_dead_batch_redelivered_before_the_sweep_sends_only_the_rest():
    everyone = addresses(6)
    pending(everyone)
    claimed = message_claim_due()
    ids, token = [pk for pk, _token in claimed], claimed[0][1]
    Counting.die_after = 2
    with pytest.raises(Died):
        message_deliver_batch(message_ids=ids, claim_token=token)
    Counting.die_after = None
    # acks_late: the broker hands the same task to the next worker.
    assert message_deliver_batch(message_ids=ids, claim_token=token)["sent"] == 4
    assert delivered() == sorted(everyone)


def test_a_batch_skips_what_a_single_send_skips(clock):
    clock.set(shanghai(2030, 1, 1, 9))
    member = UserFactory()
    gone = UserFactory(is_active=False)
    Unsubscription.objects.create(recipient=member, kind="event_starts")
    Unsubscription.objects.create(email="quiet@example.com", kind="event_starts")
    unsubscribed = enqueue(recipient=member, optional=True)
    visitor_unsubscribed = enqueue(email="quiet@example.com", optional=True)
    inactive = enqueue(recipient=gone)
    late = enqueue(email="late@example.com", expires_at=shanghai(2030, 1, 1, 9, 30))
    mandatory = enqueue(recipient=member, kind="registration_confirmed", optional=True)
    other_kind = enqueue(email="quiet@example.com", kind="grant_report_due", optional=True)
    claimed = message_claim_due()
    clock.advance(hours=1)  # the reminder's moment passes while it waits in the broker
    outcome = message_deliver_batch(
        message_ids=[pk for pk, _token in claimed], claim_token=claimed[0][1]
    )
    assert outcome == {"sent": 2, "skipped": 4, "retried": 0, "failed": 0, "stale": 0}
    reasons = dict(Message.objects.values_list("pk", "skip_reason"))
    assert reasons[unsubscribed.pk] == reasons[visitor_unsubscribed.pk] == "unsubscribed"
    assert reasons[inactive.pk] == "inactive"
    assert reasons[late.pk] == "too_late"
    assert reasons[mandatory.pk] == reasons[other_kind.pk] == ""
    assert delivered() == sorted([member.email, "quiet@example.com"])


def test_a_stale_batch_changes_nothing():
    pending(addresses(3))
    claimed = message_claim_due()
    ids = [pk for pk, _token in claimed]
    outcome = message_deliver_batch(
        message_ids=ids, claim_token="00000000-0000-0000-0000-000000000000"
    )
    assert outcome["stale"] == 3
    assert mail.outbox == []
    assert set(Message.objects.values_list("state", "attempts")) == {(Message.State.SENDING, 0)}


OTHER_CLAIM = "11111111-1111-1111-1111-111111111111"


def test_a_long_batch_keeps_its_claim_and_skips_a_row_taken_from_it(clock, settings, monkeypatch):
    """The sweeper hands a row of a running batch to another claim: the batch leaves it."""
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 0  # refresh the claim at every record
    settings.NOTIFICATIONS_BATCH_RECORD_EVERY = 1  # and record after every message
    clock.set(shanghai(2030, 1, 1, 9))
    first, second, third = pending(addresses(3))
    claimed = message_claim_due()
    real_send = Counting.send_messages

    def send_then_lose_the_last(self, messages):
        sent = real_send(self, messages)
        if Counting.sends == 1:  # another dispatcher re-claims the third row meanwhile
            Message.objects.filter(pk=third.pk).update(claim_token=OTHER_CLAIM)
        return sent

    monkeypatch.setattr(Counting, "send_messages", send_then_lose_the_last)
    outcome = message_deliver_batch(
        message_ids=[pk for pk, _token in claimed], claim_token=claimed[0][1]
    )
    assert outcome == {"sent": 2, "skipped": 0, "retried": 0, "failed": 0, "stale": 1}
    assert delivered() == sorted(addresses(2))
    third.refresh_from_db()
    assert (third.state, str(third.claim_token)) == (Message.State.SENDING, OTHER_CLAIM)


def test_the_batch_writes_its_outcomes_in_a_constant_number_of_queries(settings):
    """Recording every 100 messages: the queries do not grow with the batch."""
    settings.NOTIFICATIONS_BATCH_RECORD_EVERY = 100
    settings.NOTIFICATIONS_BATCH_RECORD_SECONDS = 3600
    counts = []
    for size in (3, 30):
        Message.objects.all().delete()
        pending(addresses(size, prefix=f"size{size}-"), optional=True)
        claimed = message_claim_due()
        ids, token = [pk for pk, _token in claimed], claimed[0][1]
        with CaptureQueriesContext(connection) as captured:
            assert message_deliver_batch(message_ids=ids, claim_token=token)["sent"] == size
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 9


class EndsAfterOneMessage:
    """A connection to a server that ends each session after one message (a per-connection
    limit): the next send finds it closed."""

    def __init__(self):
        self.is_open, self.opened, self.on_this, self.sent = False, 0, 0, []

    def open(self):
        if self.is_open:
            return False
        self.is_open, self.on_this = True, 0
        self.opened += 1
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        if not self.is_open or self.on_this:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.on_this += 1
        self.sent += [to for message in messages for to in message.to]
        return len(messages)


def test_a_session_the_server_ended_is_reopened_and_the_message_sent(monkeypatch):
    connection = EndsAfterOneMessage()
    monkeypatch.setattr(EmailChannel, "connect", lambda self: connection)
    pending(addresses(3))
    assert tasks.message_dispatch_due() == 3
    assert sorted(connection.sent) == sorted(addresses(3))
    assert connection.opened == 3
    assert set(Message.objects.values_list("state", "attempts")) == {(Message.State.SENT, 1)}
