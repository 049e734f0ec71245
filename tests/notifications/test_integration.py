"""The outbox with the real pieces: Redis, a Celery worker, two beats and an SMTP server.

Every process is started here, on free ports, and stopped at the end; the
machine's shared Redis and mail server are never touched. The worker and the
beats run ``config.settings.test`` with ``YILU_CELERY_EAGER=false`` and connect
to this test run's PostgreSQL database, which is why these tests commit their
data (``transaction=True``). They need PostgreSQL (an SQLite test database in
memory cannot be shared with another process) and ``redis-server``.

Time is bounded everywhere: each wait is on a condition (a mail, a row, a line in a
process's log) and its timeout only decides when the test fails, with the logs.
No test sleeps and none asserts how long something took.
"""

import datetime
import importlib
import uuid

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from kombu import pools

from config.celery_app import app as celery_app
from events.models import Event, Registration
from events.services.registrations import registration_create_for_visitor
from notifications.models import Message, ReminderRule
from notifications.services import message_enqueue
from tests.notifications.factories import SHANGHAI, EventFactory, RegistrationFactory
from tests.notifications.stack import REDIS_SERVER, VISIBILITY_TIMEOUT_SECONDS, Stack, database_url
from tests.waiting import finishes_within, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed: the integration tests start their own")
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip(
                "needs PostgreSQL: the worker process must share the test database "
                "(set DATABASE_URL=postgres://...; the CI runs these)"
            )
        db_url = database_url()
    stack = Stack(tmp_path_factory.mktemp("outbox-stack"), db_url)
    try:
        stack.start_redis()
        stack.start_smtp()
        stack.start_worker()
        stack.start_beat("beat1")
        stack.start_beat("beat2")
        yield stack
    finally:
        stack.stop_all()


@pytest.fixture(autouse=True)
def publish_to_the_stack(stack, monkeypatch):
    """This test process publishes to the stack's Redis instead of running tasks eagerly."""
    # Celery reads the broker URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", stack.broker_url)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    conf = celery_app.conf
    saved = {
        "broker_url": conf.broker_url,
        "task_always_eager": conf.task_always_eager,
        "broker_transport_options": conf.broker_transport_options,
        "broker_connection_timeout": conf.broker_connection_timeout,
    }

    def reset_pools():
        # Forget pooled connections (kombu keeps one registry per connection URL).
        pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    # The timeouts production uses for a Redis broker (config.settings.base).
    conf.update(
        broker_url=stack.broker_url,
        task_always_eager=False,
        broker_transport_options=dict(settings.REDIS_CLIENT_TIMEOUTS),
        broker_connection_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    reset_pools()
    yield
    reset_pools()
    conf.update(saved)


@pytest.fixture(autouse=True)
def default_rules():
    """The rules of the data migration (a transactional test before us may have flushed them)."""
    migration = importlib.import_module("notifications.migrations.0002_default_reminder_rules")
    migration.create_rules(django_apps, None)


def _open_event(**kwargs) -> Event:
    now = timezone.now()
    return EventFactory(
        starts_at=now + datetime.timedelta(days=5),
        visitor_signup=True,
        registration_opens_at=now - datetime.timedelta(days=1),
        **kwargs,
    )


def _address(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def test_registering_for_an_event_delivers_the_confirmation(stack):
    address = _address("visitor")
    registration = registration_create_for_visitor(
        event=_open_event(), name="王*明（虚构）", mobile="13912345678", email=address
    )
    assert registration.status == Registration.Status.CONFIRMED
    mails = wait_until(
        lambda: stack.mails_to(address), timeout=30, what="the confirmation", details=stack.logs
    )
    assert len(mails) == 1
    message = Message.objects.get(kind="registration_confirmed", email=address)
    wait_until(
        lambda: Message.objects.filter(pk=message.pk, state=Message.State.SENT).exists(),
        timeout=10,
        what="the row to be marked sent",
        details=stack.logs,
    )


def test_event_tomorrow_gives_one_reminder_per_participant_with_two_beats(stack):
    ReminderRule.objects.exclude(subject="event_starts").update(is_active=False)
    # The 1-day reminder is due at 00:00 today (Shanghai), so it is due whenever this runs.
    ReminderRule.objects.filter(subject="event_starts", offset_days=1).update(
        time_of_day=datetime.time(0, 0)
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    starts_at = datetime.datetime.combine(tomorrow, datetime.time(10, 0), tzinfo=SHANGHAI)
    event = EventFactory(starts_at=starts_at)
    Event.objects.filter(pk=event.pk).update(created_at=starts_at - datetime.timedelta(days=30))
    addresses = [_address("participant") for _ in range(3)]
    for number, address in enumerate(addresses):
        RegistrationFactory(
            event=event,
            participant=None,
            organisation=None,
            name=f"参与者{number}（虚构）",
            mobile=f"1370000000{number}",
            email=address,
        )

    wait_until(
        lambda: all(stack.mails_to(address) for address in addresses),
        timeout=40,
        what="one reminder per participant",
        details=stack.logs,
    )
    # Let both beats run the planner and the dispatcher several more times.
    ran = {
        (name, task): stack.count(name, f"Sending due task {task}")
        for name in ("beat1", "beat2")
        for task in ("notifications-plan-reminders", "notifications-dispatch-due")
    }
    wait_until(
        lambda: all(
            stack.count(name, f"Sending due task {task}") >= n + 3
            for (name, task), n in ran.items()
        ),
        timeout=60,
        what="both beats to send the planner and the dispatcher three more times",
        details=stack.logs,
    )
    done = {task: stack.succeeded(task) for task in ("reminder_plan", "message_dispatch_due")}
    wait_until(
        lambda: all(stack.succeeded(task) >= n + 2 for task, n in done.items()),
        timeout=60,
        what="the worker to run the planner and the dispatcher again",
        details=stack.logs,
    )
    assert [len(stack.mails_to(address)) for address in addresses] == [1, 1, 1]
    for beat in ("beat1", "beat2"):
        assert "notifications-plan-reminders" in stack.log(beat), f"{beat} did not run"
    one_day = Message.objects.filter(kind="event_starts", rule__offset_days=1)
    assert one_day.count() == 3
    assert set(one_day.values_list("state", flat=True)) == {Message.State.SENT}
    # The 3-day moment passed before the rows could exist: skipped as too late, never sent.
    three_days = Message.objects.filter(kind="event_starts", rule__offset_days=3)
    assert set(three_days.values_list("skip_reason", flat=True)) <= {"too_late"}


def test_worker_killed_mid_send_delivers_exactly_once_after_restart(stack):
    """SIGKILL while the SMTP server has the message but has not answered "250".

    The server never accepted it, so after the restart (the sweeper returns the
    row, the dispatcher claims it again) it is delivered exactly once. Had the
    kill landed after the server's "250" and before the row was marked sent,
    this design would deliver it twice: that window, a few milliseconds per
    message, is the only duplicate it allows, and at most one duplicate.
    """
    address = _address("hold")
    with transaction.atomic(durable=True):
        message = message_enqueue(
            kind="registration_confirmed",
            email=address,
            template="events/email/event_starts",
            context={"event_title": "月月·大篷车", "starts_at": timezone.now()},
            dedupe_key=f"integration:kill:{address}",
        )
    wait_until(
        lambda: stack.holding(address), timeout=30, what="the send to start", details=stack.logs
    )
    stack.kill_worker()
    # Sent alone (the after-commit shortcut) or in a batch (the dispatcher came first).
    (killed,) = stack.unacked_tasks("notifications.tasks.message_send") | stack.unacked_tasks(
        "notifications.tasks.message_send_batch"
    )
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENDING, 1)
    assert stack.mails_to(address) == []

    stack.start_worker()
    wait_until(
        lambda: stack.mails_to(address),
        timeout=60,
        what="the delivery after the restart",
        details=stack.logs,
    )
    # Past the broker's visibility timeout the killed task is redelivered: it must not resend.
    wait_until(
        lambda: f"[{killed}] succeeded" in stack.log("worker"),
        timeout=VISIBILITY_TIMEOUT_SECONDS + 60,
        what="the killed send to be redelivered and run",
        details=stack.logs,
    )
    assert len(stack.mails_to(address)) == 1
    message.refresh_from_db()
    assert message.state == Message.State.SENT


def test_with_redis_stopped_a_registration_succeeds_and_mails_after_restart(stack, caplog):
    event = _open_event()
    address = _address("offline")
    stack.stop_redis()
    refused = {
        name: stack.count(name, "Couldn't apply scheduled task") for name in ("beat1", "beat2")
    }
    try:
        registration = finishes_within(
            lambda: registration_create_for_visitor(
                event=event, name="李*华（虚构）", mobile="13812345678", email=address
            ),
            timeout=15,
            what="the registration with Redis stopped",
        )
        assert registration.status == Registration.Status.CONFIRMED
        message = Message.objects.get(kind="registration_confirmed", email=address)
        assert message.state == Message.State.PENDING
        assert "not queued now" in caplog.text
        assert address not in caplog.text
        # Both beats have tried to hand the dispatcher over and been refused: nothing went out.
        wait_until(
            lambda: all(
                stack.count(name, "Couldn't apply scheduled task") > n
                for name, n in refused.items()
            ),
            timeout=30,
            what="both beats to find the broker gone",
            details=stack.logs,
        )
        assert stack.mails_to(address) == []
    finally:
        stack.start_redis()
    mails = wait_until(
        lambda: stack.mails_to(address),
        timeout=90,
        what="the confirmation after Redis came back",
        details=stack.logs,
    )
    assert len(mails) == 1
    wait_until(
        lambda: Message.objects.filter(pk=message.pk, state=Message.State.SENT).exists(),
        timeout=10,
        what="the row to be marked sent",
        details=stack.logs,
    )


def test_with_redis_frozen_a_registration_answers_within_3_s_and_mails_after(stack, caplog):
    """SIGSTOP, not a refused connection: the worst case, a broker that accepts and hangs."""
    event = _open_event()
    address = _address("frozen")
    # Warm the producer pool: the publish below then hits an open, frozen connection.
    registration_create_for_visitor(
        event=event, name="预热（虚构）", mobile="13812340000", email=_address("warm")
    )
    stack.freeze_redis()
    try:
        registration = finishes_within(
            lambda: registration_create_for_visitor(
                event=event, name="赵*华（虚构）", mobile="13812345679", email=address
            ),
            timeout=3,
            what="the registration on the frozen broker",
        )
        assert registration.status == Registration.Status.CONFIRMED
        message = Message.objects.get(kind="registration_confirmed", email=address)
        assert message.state == Message.State.PENDING
        assert "not queued now" in caplog.text
        assert address not in caplog.text
    finally:
        stack.thaw_redis()
    mails = wait_until(
        lambda: stack.mails_to(address),
        timeout=90,
        what="the confirmation after Redis thawed",
        details=stack.logs,
    )
    assert len(mails) == 1


def test_with_redis_frozen_the_cache_answers_at_once_and_fails_open(stack, settings):
    """Rate limits live in the cache: a frozen Redis costs one short timeout, then nothing."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{stack.redis_port}/3",
            "OPTIONS": {**settings.REDIS_CLIENT_TIMEOUTS, "retry_after": 30},
        }
    }
    cache = caches["default"]
    cache.set("probe", 1)
    stack.freeze_redis()
    try:
        answers = finishes_within(
            lambda: (cache.get("probe"), cache.add("limit", 0), cache.incr("limit")),
            timeout=2,
            what="three cache calls on the frozen Redis",
        )
        got, added, counted = answers
        assert got is None  # the timeout: a miss
        assert added is True  # skipped now: no wait at all
        assert counted == 1
    finally:
        stack.thaw_redis()


def test_due_messages_leave_in_one_batch_over_one_connection_and_a_refusal_fails_alone(stack):
    """The dispatcher's path: one batch task, one SMTP session for all of it; the server
    refuses one mailbox (550): that message alone is retried with backoff, then failed."""
    good = [_address(f"batch{number}") for number in range(6)]
    refused = _address("refuse-batch")
    # Due in a moment, not now: the after-commit shortcut leaves them to the dispatcher.
    due_at = timezone.now() + datetime.timedelta(seconds=2)
    with transaction.atomic(durable=True):
        for address in [*good[:3], refused, *good[3:]]:
            message_enqueue(
                kind="event_starts",
                email=address,
                template="events/email/event_starts",
                context={"event_title": "批量·大篷车", "starts_at": timezone.now()},
                due_at=due_at,
                dedupe_key=f"integration:batch:{address}",
            )
    rows = Message.objects.filter(dedupe_key__startswith="integration:batch:")
    wait_until(
        lambda: not rows.filter(state__in=[Message.State.PENDING, Message.State.SENDING]),
        timeout=120,
        what="every message of the batch sent or failed",
        details=stack.logs,
    )
    mails = [stack.mails_to(address) for address in good]
    assert [len(found) for found in mails] == [1] * 6  # each exactly once
    assert len({tuple(found[0]["peer"]) for found in mails}) == 1  # one connection carried all
    assert stack.mails_to(refused) == []
    # One batch task sent the six and sent the refused one back to wait for its retry.
    assert "'sent': 6, 'skipped': 0, 'retried': 1, 'failed': 0, 'stale': 0}" in stack.log("worker")
    assert set(rows.exclude(email=refused).values_list("state", "attempts")) == {
        (Message.State.SENT, 1)
    }
    failed = rows.get(email=refused)
    assert (failed.state, failed.attempts) == (Message.State.FAILED, 5)
    assert failed.last_error.startswith("SMTPRecipientsRefused")
