"""The dispatcher claims each due message once; the sweeper rescues stuck ones."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from kombu.exceptions import OperationalError

from notifications import services, tasks
from notifications.models import Message
from notifications.services import message_claim_due, message_sweep_stuck
from tests.notifications.factories import enqueue, shanghai

pytestmark = pytest.mark.django_db


def pending(count: int, **kwargs) -> list[Message]:
    """Due messages whose after-commit shortcut did not run (as if the broker was down)."""
    return [enqueue(email=f"person{i}@example.com", **kwargs) for i in range(count)]


def test_dispatcher_run_twice_in_a_row_sends_each_message_once():
    pending(3)
    assert tasks.message_dispatch_due() == 3
    assert tasks.message_dispatch_due() == 0
    assert len(mail.outbox) == 3
    assert set(Message.objects.values_list("state", "attempts")) == {(Message.State.SENT, 1)}


def test_dispatcher_does_not_claim_future_messages(clock):
    clock.set(shanghai(2030, 1, 1, 8))
    pending(1, due_at=shanghai(2030, 1, 1, 9))
    assert message_claim_due() == []


def test_dispatcher_skips_a_reminder_past_its_moment(clock):
    clock.set(shanghai(2030, 1, 1, 8))
    message = enqueue(
        email="v@example.com", due_at=shanghai(2030, 1, 1, 9), expires_at=shanghai(2030, 1, 2, 10)
    )
    clock.set(shanghai(2030, 1, 2, 11))  # down until after the event started
    assert tasks.message_dispatch_due() == 0
    message.refresh_from_db()
    assert (message.state, message.skip_reason) == (Message.State.SKIPPED, "too_late")
    assert mail.outbox == []


def test_dispatcher_gives_a_message_back_when_its_task_cannot_be_queued(monkeypatch):
    (message,) = pending(1)

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.message_send_batch, "apply_async", broker_down)
    tasks.message_dispatch_due()
    message.refresh_from_db()
    assert message.state == Message.State.PENDING
    assert message.claim_token is None
    monkeypatch.undo()
    assert tasks.message_dispatch_due() == 1
    assert len(mail.outbox) == 1


def test_sweeper_returns_stuck_messages_and_the_old_task_stays_harmless(clock, settings):
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 600
    clock.set(shanghai(2030, 1, 1, 9))
    stuck, fresh = pending(2)
    claims = dict(message_claim_due())  # claimed, but the worker died before sending
    clock.advance(minutes=5)
    fresh_token = claims.pop(fresh.pk)
    assert message_sweep_stuck() == 0
    clock.advance(minutes=6)
    services.message_release(message_id=fresh.pk, claim_token=fresh_token)  # unrelated
    assert message_sweep_stuck() == 1
    stuck.refresh_from_db()
    assert (stuck.state, stuck.claim_token) == (Message.State.PENDING, None)

    assert tasks.message_dispatch_due() == 2
    # the dead worker's batch task, redelivered late, holds an old token: nothing happens
    late = tasks.message_send_batch.delay([stuck.pk], claims[stuck.pk]).get()
    assert (late["stale"], late["sent"]) == (1, 0)
    assert len(mail.outbox) == 2


def test_sweeper_fails_a_message_that_used_up_its_attempts(clock, settings):
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 600
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    clock.set(shanghai(2030, 1, 1, 9))
    (message,) = pending(1)
    message_claim_due()
    Message.objects.filter(pk=message.pk).update(attempts=3)
    clock.advance(minutes=11)
    assert message_sweep_stuck() == 1
    message.refresh_from_db()
    assert message.state == Message.State.FAILED


def test_sweeper_task_runs_the_service(clock, settings):
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 60
    clock.set(shanghai(2030, 1, 1, 9))
    pending(1)
    message_claim_due()
    clock.advance(minutes=2)
    assert tasks.message_sweep_stuck.delay().get() == 1


def _race(worker, *, threads: int = 2) -> list:
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(worker())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_each_message_once(postgres_only, monkeypatch):
    monkeypatch.setattr(services, "_dispatch_after_commit", lambda message_id: None)
    for round_number in range(15):
        mail.outbox.clear()
        messages = [
            enqueue(email=f"r{round_number}p{i}@example.com", dedupe_key=f"race:{round_number}:{i}")
            for i in range(8)
        ]
        claimed = _race(tasks.message_dispatch_due)
        assert sum(claimed) == 8
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            f"r{round_number}p{i}@example.com" for i in range(8)
        )
        states = Message.objects.filter(pk__in=[m.pk for m in messages]).values_list(
            "state", "attempts"
        )
        assert set(states) == {(Message.State.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_enqueues_with_one_key_insert_once(postgres_only, monkeypatch):
    monkeypatch.setattr(services, "_dispatch_after_commit", lambda message_id: None)
    for round_number in range(15):
        key = f"same:{round_number}"
        results = _race(lambda key=key: enqueue(email="a@example.com", dedupe_key=key))
        assert sorted(result is None for result in results) == [False, True]
        assert Message.objects.filter(dedupe_key=key).count() == 1


def test_claims_hold_a_fresh_token_per_run():
    pending(2)
    first = message_claim_due()
    assert len({token for _pk, token in first}) == 1
    Message.objects.update(state=Message.State.PENDING, claim_token=None)
    second = message_claim_due()
    assert {token for _pk, token in first}.isdisjoint({token for _pk, token in second})


def test_due_at_must_be_aware():
    with pytest.raises(ValueError):
        enqueue(email="v@example.com", due_at=datetime.datetime(2030, 1, 1, 9))  # noqa: DTZ001
