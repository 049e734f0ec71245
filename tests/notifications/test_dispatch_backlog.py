"""A backlog drains in one dispatcher tick, batch after batch (one send task each), within
its time budget."""

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.models import Message

pytestmark = pytest.mark.django_db


def backlog(count: int) -> None:
    """``count`` due reminders, written in bulk (as the planner leaves them)."""
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                kind="event_starts",
                email=f"p{i}@example.com",
                template="events/email/event_starts",
                context={},
                language="zh-hans",
                dedupe_key=f"backlog:{i}",
                due_at=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )


@pytest.fixture
def published(monkeypatch):
    """Record the batches handed to the broker (message ids, claim token) instead of running them."""
    handed = []
    monkeypatch.setattr(
        tasks.message_send_batch, "apply_async", lambda args, **kwargs: handed.append(args)
    )
    return handed


def test_20000_due_reminders_are_handed_to_the_broker_within_a_minute(
    ordinary_day, published, settings
):
    # The tick's own budget is the bound: past a minute it would stop and hand back fewer.
    settings.NOTIFICATIONS_DISPATCH_BUDGET_SECONDS = 60
    settings.NOTIFICATIONS_DISPATCH_BATCH = 200
    backlog(20_000)
    assert tasks.message_dispatch_due() == 20_000
    # Exactly one send task per batch of 200, each message in exactly one of them.
    assert [len(ids) for ids, _token in published] == [200] * 100
    handed = [pk for ids, _token in published for pk in ids]
    assert len(handed) == len(set(handed)) == 20_000
    assert not Message.objects.filter(state=Message.State.PENDING).exists()
    # Each task carries its own claim: the rows it names hold that token.
    for ids, token in published[::25]:
        assert Message.objects.filter(pk__in=ids, claim_token=token).count() == len(ids)


def test_the_tick_stops_at_its_time_budget_and_the_next_goes_on(ordinary_day, published, settings):
    settings.NOTIFICATIONS_DISPATCH_BATCH = 100
    settings.NOTIFICATIONS_DISPATCH_BUDGET_SECONDS = 0  # one batch, then the budget is spent
    backlog(250)
    assert tasks.message_dispatch_due() == 100
    assert tasks.message_dispatch_due() == 100
    assert tasks.message_dispatch_due() == 50
    assert tasks.message_dispatch_due() == 0
    assert [len(ids) for ids, _token in published] == [100, 100, 50]
    assert len({pk for ids, _token in published for pk in ids}) == 250


def test_with_the_broker_down_one_attempt_and_every_row_back(ordinary_day, monkeypatch, settings):
    settings.NOTIFICATIONS_DISPATCH_BATCH = 100
    backlog(250)
    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(1)
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.message_send_batch, "apply_async", broker_down)
    tasks.message_dispatch_due()
    assert len(attempts) == 1  # not 250 timeouts in a row
    assert Message.objects.filter(state=Message.State.PENDING, claim_token=None).count() == 250
