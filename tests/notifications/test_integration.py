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
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from urllib.parse import quote

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
from tests.waiting import finishes_within, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

REDIS_SERVER = shutil.which("redis-server")
HERE = pathlib.Path(__file__).resolve().parent
BASE_DIR = pathlib.Path(settings.BASE_DIR)

# Short periods so a scenario takes seconds, not minutes.
DISPATCH_SECONDS = 1
SENDING_TIMEOUT_SECONDS = 4
VISIBILITY_TIMEOUT_SECONDS = 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'])}"


class Stack:
    """Redis, an SMTP capture server, a Celery worker and two beats, all ours."""

    def __init__(self, folder: pathlib.Path, db_url: str):
        self.folder = folder
        self.mail_folder = folder / "mail"
        self.mail_folder.mkdir()
        self.redis_port = free_port()
        self.smtp_port = free_port()
        self.broker_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.db_url = db_url
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_starts = 0

    # --- processes -----------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], **kwargs) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches its children
            cwd=BASE_DIR,
            **kwargs,
        )
        log.close()
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def count(self, name: str, text: str) -> int:
        """How many times ``text`` appears in the log of process ``name``."""
        return self.log(name).count(text)

    def succeeded(self, task: str) -> int:
        """How many ``notifications.tasks.<task>`` runs the worker has finished."""
        return sum(
            f"Task notifications.tasks.{task}[" in line and "] succeeded" in line
            for line in self.log("worker").splitlines()
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {name}.log (last lines) ---\n" + "\n".join(self.log(name).splitlines()[-40:])
            for name in sorted({*self.processes, "worker"})
        )

    def stop(self, name: str, *, sig=signal.SIGTERM, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def env(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "YILU_", "DJANGO_", "EMAIL_", "REDIS_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "YILU_CELERY_EAGER": "false",
                "YILU_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
                "CELERY_BROKER_URL": self.broker_url,
                "REDIS_URL": "",
                "DATABASE_URL": self.db_url,
                "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
                "SITE_URL": "http://testserver",
                "YILU_NOTIFICATIONS_DISPATCH_SECONDS": str(DISPATCH_SECONDS),
                "YILU_NOTIFICATIONS_PLAN_SECONDS": "1",
                "YILU_NOTIFICATIONS_SWEEP_SECONDS": "1",
                "YILU_NOTIFICATIONS_SENDING_TIMEOUT": str(SENDING_TIMEOUT_SECONDS),
                "YILU_NOTIFICATIONS_RETRY_BASE": "1",
                "YILU_NOTIFICATIONS_RETRY_MAX": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def redis_ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.redis_port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            [
                REDIS_SERVER,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
        )
        wait_until(self.redis_ping, timeout=15, what="redis-server", details=self.logs)

    def freeze_redis(self) -> None:
        """SIGSTOP: connections stay open and the port accepts, but nothing answers."""
        os.kill(self.processes["redis"].pid, signal.SIGSTOP)

    def thaw_redis(self) -> None:
        os.kill(self.processes["redis"].pid, signal.SIGCONT)
        wait_until(self.redis_ping, timeout=15, what="redis to answer again", details=self.logs)

    def unacked_tasks(self, task: str) -> set[str]:
        """Ids of the ``task`` deliveries the broker holds as taken and not acknowledged."""
        import redis

        client = redis.Redis(port=self.redis_port, socket_connect_timeout=0.5)
        entries = [json.loads(raw)[0] for raw in client.hvals("unacked")]
        return {e["headers"]["id"] for e in entries if e["headers"]["task"] == task}

    def stop_redis(self) -> None:
        self.stop("redis")
        wait_until(lambda: not self.redis_ping(), timeout=10, what="redis to stop")

    def start_smtp(self) -> None:
        self._spawn(
            "smtp",
            [
                sys.executable,
                str(HERE / "smtp_capture.py"),
                "--port",
                str(self.smtp_port),
                "--folder",
                str(self.mail_folder),
            ],
        )
        wait_until(
            lambda: (self.mail_folder / "ready").exists(),
            timeout=15,
            what="the SMTP server",
            details=self.logs,
        )

    def start_worker(self) -> None:
        self.worker_starts += 1
        name = f"worker{self.worker_starts}"
        (self.folder / "worker.log").write_bytes(b"")
        self._spawn(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.env(),
        )
        wait_until(
            lambda: " ready." in self.log("worker"),
            timeout=60,
            what="the Celery worker",
            details=self.logs,
        )

    def kill_worker(self) -> None:
        """SIGKILL the worker's whole process group: no cleanup, no ack."""
        self.stop("worker", sig=signal.SIGKILL)

    def start_beat(self, name: str) -> None:
        self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.folder / f"{name}-schedule"),
                "--pidfile",
                str(self.folder / f"{name}.pid"),
            ],
            env=self.env(),
        )

    # --- captured mail -------------------------------------------------------------
    def mails_to(self, address: str) -> list[dict]:
        found = []
        for path in sorted(self.mail_folder.glob("*.json")):
            payload = json.loads(path.read_text(encoding="utf-8"))
            if address in payload["to"]:
                found.append(payload)
        return found

    def holding(self, address: str) -> bool:
        return (self.mail_folder / f"holding-{address}").exists()


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
    (killed,) = stack.unacked_tasks("notifications.tasks.message_send")
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
        lambda: f"message_send[{killed}] succeeded" in stack.log("worker"),
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
