"""A visitor's sign-up POST: what runs under the event lock, and what waits for the commit.

The event row lock queues every sign-up for one event behind the one holding it, so
the locked section is the lock, the seat count and the INSERT; the duplicate person is
refused by the INSERT's constraint, the page-cache bump, the e-mail's dispatch and the
QR code come after the commit.
"""

import os
import threading
from collections import Counter

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.cache import count_hits
from core.pagecache import _VERSION_KEY
from events import services
from events import tickets as ticket_module
from events.models import Registration
from events.services import registrations as registration_services
from notifications.models import Message
from tests.federation.factories import refusal_code

from .factories import EventFactory, RegistrationFactory, register

pytestmark = pytest.mark.django_db

# Statements that are transaction control, not work.
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "RELEASE SAVEPOINT", "SAVEPOINT")


def _post(client, event, mobile, **extra):
    data = {"name": "访客（虚构）", "mobile": mobile, "consent": "on", **extra}
    return client.post(reverse("events:visitor-signup", args=[event.slug]), data)


def _work(queries) -> list[str]:
    """The captured statements that are not transaction control, shortened to their verb
    and first table."""
    work = []
    for query in queries:
        sql = query["sql"]
        if sql.upper().startswith(_CONTROL):
            continue
        verb = sql.split()[0].upper()
        table = sql.split('"')[1] if '"' in sql else ""
        if verb == "SELECT" and " FROM " in sql:
            table = sql.split(" FROM ")[1].split('"')[1]
        work.append(f"{verb} {table}")
    return work


def _signup_queries(client, existing: int, mobile: str) -> list[dict]:
    event = EventFactory(visitor_signup=True, capacity=existing + 10)
    for _ in range(existing):
        RegistrationFactory(event=event)
    with CaptureQueriesContext(connection) as captured:
        assert _post(client, event, mobile).status_code == 302
    return captured.captured_queries


@pytest.mark.parametrize("existing", [0, 25])
def test_a_signup_post_runs_the_same_statements_whatever_the_registrations(client, existing):
    queries = _signup_queries(client, existing, mobile=f"1370000{existing:04d}")
    # Before the lock: the event's key (the view). Under the lock: the locked row, the
    # seat count, the INSERT. No duplicate query (the constraint decides), no savepoint.
    assert _work(queries) == [
        "SELECT events_event",
        "SELECT events_event",
        "SELECT events_registration",
        "INSERT events_registration",
    ]
    # (In a test the durable transaction is itself a savepoint: none may follow the lock.)
    sql = [query["sql"] for query in queries]
    locked = [i for i, text in enumerate(sql) if text.startswith('SELECT "events_event"')][1]
    insert = next(i for i, text in enumerate(sql) if text.startswith("INSERT"))
    assert not any("SAVEPOINT" in text for text in sql[locked:insert])
    assert sum(text.startswith("SAVEPOINT") for text in sql) <= 1
    if connection.vendor == "postgresql":  # SQLite has no row locks
        assert "FOR NO KEY UPDATE" in queries_sql(queries, "SELECT events_event", 1)


def queries_sql(queries, kind: str, index: int) -> str:
    matching = [q["sql"] for q in queries if _work([q]) == [kind]]
    return matching[index]


def test_a_signup_post_costs_the_same_at_two_sizes(client):
    small = _signup_queries(client, 0, mobile="13700001000")
    large = _signup_queries(client, 40, mobile="13700001001")
    assert len(small) == len(large)


def test_the_locked_read_joins_nothing(client):
    queries = _signup_queries(client, 3, mobile="13700001002")
    locked = queries_sql(queries, "SELECT events_event", 1)
    assert " JOIN " not in locked


def test_the_page_cache_bump_and_the_email_wait_for_the_commit(
    client, django_capture_on_commit_callbacks, settings
):
    settings.YILU_PAGE_CACHE_SECONDS = 300
    event = EventFactory(visitor_signup=True, capacity=5)
    key = _VERSION_KEY.format("events")
    cache.set(key, "before", None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, event, "13700002000", email="visitor@example.com")
    assert response.status_code == 302
    # Committed: the place and its outbox row, in the one transaction.
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert Message.objects.filter(kind="registration_confirmed", email="visitor@example.com")
    # Nothing else has happened yet: no mail sent, the pages' version not bumped.
    assert mail.outbox == []
    assert cache.get(key) == "before"
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert cache.get(key) != "before"
    assert [message.to for message in mail.outbox] == [["visitor@example.com"]]


def test_a_visitor_signup_bumps_the_event_pages_only(django_capture_on_commit_callbacks):
    event = EventFactory(visitor_signup=True)
    cache.set_many({_VERSION_KEY.format(n): "before" for n in ("events", "volunteers")}, None)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create_for_visitor(event=event, name="访客", mobile="13700002001")
    assert cache.get(_VERSION_KEY.format("events")) != "before"
    assert cache.get(_VERSION_KEY.format("volunteers")) == "before"


def test_the_qr_code_is_drawn_after_the_commit_not_under_the_lock(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from events.templatetags import events_tags

    registering, drawn = [], []
    register_locked, draw = registration_services._register, ticket_module.qr_svg

    def spy_register(**kwargs):
        registering.append(True)
        try:
            return register_locked(**kwargs)
        finally:
            registering.pop()

    def spy_draw(url, *, title):
        drawn.append("under the lock" if registering else "after")
        return draw(url, title=title)

    monkeypatch.setattr(registration_services, "_register", spy_register)
    monkeypatch.setattr(ticket_module, "qr_svg", spy_draw)
    monkeypatch.setattr(events_tags, "qr_svg", spy_draw)
    event = EventFactory(visitor_signup=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, event, "13700002002", email="visitor@example.com")
    assert response.status_code == 302
    # The confirmation e-mail carries the QR code, drawn when it is rendered after the commit.
    assert drawn and set(drawn) == {"after"}
    assert "<svg" in mail.outbox[0].alternatives[0][0]


def test_the_same_person_twice_is_refused_by_the_constraint(client):
    event = EventFactory(visitor_signup=True, capacity=5)
    assert _post(client, event, "13700003000").status_code == 302
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as captured:
        again = _post(client, event, "13700003000")
    assert again.status_code == 200
    assert [e.code for e in again.context["form"].non_field_errors().as_data()] == ["duplicate"]
    assert "is already registered for this event" in again.content.decode()
    # The INSERT found the duplicate: nothing was asked before it.
    assert "INSERT events_registration" in _work(captured.captured_queries)
    assert Registration.objects.filter(event=event).count() == 1
    # The form shown again reads the event whole, with its places left.
    assert again.context["places_left"] == 4


@pytest.mark.parametrize("waitlist", [True, False])
def test_a_duplicate_hears_duplicate_even_when_the_event_is_full(waitlist):
    event = EventFactory(visitor_signup=True, capacity=1, waitlist_enabled=waitlist)
    services.registration_create_for_visitor(event=event, name="访客", mobile="13700003001")
    code = refusal_code(
        services.registration_create_for_visitor,
        event=event,
        name="访客",
        mobile="13700003001",
    )
    assert code == "duplicate"
    assert Registration.objects.filter(event=event).count() == 1


def test_a_duplicate_hears_duplicate_before_the_organisation_limit(org_user):
    event = EventFactory(per_organisation_limit=1)
    first = register(event, org_user)
    code = refusal_code(
        services.registration_create,
        event=event,
        participant=first.participant,
        acting_user=org_user,
    )
    assert code == "duplicate"


def test_a_code_clash_leaves_no_second_outbox_row(monkeypatch):
    event = EventFactory(visitor_signup=True)
    RegistrationFactory(event=event, check_in_code="AAAAAA")
    draws = iter(["AAAAAA", "CCCCCC"])
    monkeypatch.setattr(registration_services, "check_in_code_new", lambda: next(draws))
    registration = services.registration_create_for_visitor(
        event=event, name="访客", mobile="13700004000", email="visitor@example.com"
    )
    assert registration.check_in_code == "CCCCCC"
    assert Registration.objects.filter(event=event).count() == 2
    assert Message.objects.filter(email="visitor@example.com").count() == 1


# --- Rate limits: one cache round trip ----------------------------------------------------


def test_count_hits_counts_each_key_from_one():
    assert count_hits({"a": 60, "b": 60}) == {"a": 1, "b": 1}
    assert count_hits({"a": 60, "b": 60}) == {"a": 2, "b": 2}
    assert count_hits({"b": 60}) == {"b": 3}


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (the CI's PostgreSQL pass)"
)
def test_count_hits_on_redis_is_one_round_trip_and_expires(settings):
    from django.core.cache import caches

    from core.cache import ResilientRedisCache

    redis_cache = caches["default"]
    assert isinstance(redis_cache, ResilientRedisCache)
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client  # one client, kept
    sent = []
    original = client.pipeline

    def pipeline(*args, **kwargs):
        sent.append("pipeline")
        return original(*args, **kwargs)

    client.pipeline = pipeline
    try:
        assert redis_cache.count_hits({"x": 60, "y": 120}) == {"x": 1, "y": 1}
        assert redis_cache.count_hits({"x": 60, "y": 120}) == {"x": 2, "y": 2}
    finally:
        del client.pipeline
    assert sent == ["pipeline", "pipeline"]
    assert 0 < client.ttl(redis_cache.make_key("x")) <= 60
    assert 60 < client.ttl(redis_cache.make_key("y")) <= 120


# --- Concurrency (PostgreSQL: SQLite ignores row locks) --------------------------------------


def _race(threads: int, call) -> tuple[list, list]:
    barrier = threading.Barrier(threads)
    results, errors = [], []
    lock = threading.Lock()

    def run(number):
        try:
            barrier.wait(timeout=60)
            try:
                outcome = call(number)
            except ValidationError as error:
                outcome = error.error_list[0].code
            except Exception as error:  # noqa: BLE001 - reported by the assertion
                with lock:
                    errors.append(error)
                return
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_visitors_racing_for_ten_places_never_overbook(postgres_only):
    event = EventFactory(visitor_signup=True, capacity=10, waitlist_enabled=True)
    results, errors = _race(
        30,
        lambda n: (
            services.registration_create_for_visitor(
                event=event, name=f"访客{n}", mobile=f"1370000{n:04d}"
            ).status
        ),
    )
    assert errors == [], errors[:3]
    assert Counter(results) == {"confirmed": 10, "waitlisted": 20}
    seats = Registration.objects.filter(event=event, seat__isnull=False).values_list(
        "seat", flat=True
    )
    assert sorted(seats) == list(range(1, 11))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_racing_themselves_gets_one_place(postgres_only):
    """Ten sign-ups with one mobile at once: nothing checked them before the INSERT, so
    the constraint must refuse nine of them, as duplicates, not as server errors."""
    event = EventFactory(visitor_signup=True, capacity=10)
    results, errors = _race(
        10,
        lambda n: (
            services.registration_create_for_visitor(
                event=event, name="访客", mobile="13700005000"
            ).status
        ),
    )
    assert errors == [], errors[:3]
    assert Counter(results) == {"confirmed": 1, "duplicate": 9}
    assert Registration.objects.filter(event=event).count() == 1
