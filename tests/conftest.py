"""Shared fixtures. App-specific factories live in tests/<app>/factories.py."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import timezone

from core.timezone import SHANGHAI, day_start


def _sql_flush_past_the_ledger_triggers(sql_flush):
    """A test's flush TRUNCATEs every table, the ledger's included, which PostgreSQL's

    statement triggers refuse (migration funds 0008). The flush runs in one
    transaction: replica mode there switches user triggers off for that
    transaction only (the test database user is a superuser).
    """

    def flush(self, style, tables, **kwargs):
        statements = sql_flush(self, style, tables, **kwargs)
        if statements:
            statements = ["SET LOCAL session_replication_role = replica", *statements]
        return statements

    return flush


DatabaseOperations.sql_flush = _sql_flush_past_the_ledger_triggers(DatabaseOperations.sql_flush)


def pytest_addoption(parser):
    parser.addoption(
        "--frozen-date",
        metavar="YYYY-MM-DD[THH:MM]",
        help=(
            "run the session as if it started at this moment in Asia/Shanghai (time-machine; "
            "the clock runs on from there): shows which tests depend on the day they run, "
            "e.g. --frozen-date=2027-01-03 or --frozen-date=2026-12-31T23:30"
        ),
    )


def pytest_configure(config):
    value = config.getoption("--frozen-date")
    if value:
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    value = config.getoption("--frozen-date")
    return [f"frozen date: the session starts at {value} (Asia/Shanghai)"] if value else []


def pytest_collection_modifyitems(items):
    """Every transactional test restores the database it found.

    A transactional test ends with a flush, which would also wipe the
    reference data that data migrations load (streets, alliances, groups, the
    fund's chart of accounts). With serialized rollback the test database is
    serialized once after migrating, each transactional test reloads it at
    setup, and the flush skips post_migrate (so content types never clash).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        wants_transaction = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in getattr(item, "fixturenames", ())
        )
        if not wants_transaction:
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres_only(db):
    """Skip, with the reason, where a test needs PostgreSQL (row locks, triggers)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (the CI runs it)")


class Clock:
    """The frozen clock of a test (time-machine): ``timezone.now``, ``date.today`` and
    ``time.time`` all read it, in every module, until the test ends."""

    def __init__(self, coordinates):
        self._coordinates = coordinates

    @property
    def now(self) -> datetime.datetime:
        return timezone.now()

    def set(self, moment: datetime.datetime | datetime.date) -> None:
        """Jump to ``moment`` (a date means its midnight in Asia/Shanghai)."""
        if not isinstance(moment, datetime.datetime):
            moment = day_start(moment)
        self._coordinates.move_to(moment)

    def advance(self, **kwargs) -> None:
        self._coordinates.shift(datetime.timedelta(**kwargs))


@pytest.fixture
def clock():
    """One way to set the time in a test: ``clock.set(...)``, ``clock.advance(hours=1)``.

    Every date-relative test asks for it, so none depends on the day the suite runs."""
    with time_machine.travel(timezone.now(), tick=False) as coordinates:
        yield Clock(coordinates)


AN_ORDINARY_DAY = datetime.datetime(2026, 6, 15, 10, tzinfo=SHANGHAI)


@pytest.fixture
def ordinary_day(clock):
    """The clock on an ordinary working day, Monday 15 June 2026 at 10:00 in Shanghai.

    Folders whose tests build their data "now" take it through an autouse fixture
    in their conftest; a test moves on from there with ``clock.set``/``clock.advance``."""
    clock.set(AN_ORDINARY_DAY)
    return clock
