"""Seat numbering (events.services._common._free_seats): lowest free seats, bounded reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.services._common import _free_seats

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _expected(taken: set[int], capacity: int | None, count: int) -> list[int]:
    """The rule, read slowly: every seat number in order, skipping taken ones."""
    top = capacity if capacity is not None else max(taken, default=0) + count
    return [seat for seat in range(1, top + 1) if seat not in taken][:count]


@pytest.mark.parametrize(
    ("taken", "capacity"),
    [
        (set(), 5),
        (set(), None),
        ({1, 2, 3}, 5),
        ({1, 2, 3}, 3),
        ({1, 2, 3}, None),
        ({3, 4}, 6),
        ({2, 5, 6, 9}, 10),
        ({2, 5, 6, 9}, None),
        ({1, 3, 5, 7}, 7),
        ({4}, None),
    ],
)
def test_free_seats_are_the_lowest_free_numbers(taken, capacity):
    event = EventFactory(capacity=capacity)
    for seat in sorted(taken):
        RegistrationFactory(event=event, seat=seat)
    for count in (1, 2, 3, 7):
        assert _free_seats(event, count) == _expected(taken, capacity, count), count


@pytest.mark.parametrize("taken_count", [3, 40])
def test_free_seats_reads_a_fixed_number_of_queries_and_rows(taken_count):
    event = EventFactory(capacity=100)
    for seat in range(1, taken_count + 1):
        if seat % 3 != 2:  # gaps left by cancellations
            RegistrationFactory(event=event, seat=seat)
    with CaptureQueriesContext(connection) as queries:
        _free_seats(event, 1)
    assert len(queries) == 2  # the span, then the first gap
    assert all("LIMIT" in query["sql"] or "MIN(" in query["sql"] for query in queries)


def test_no_seat_asked_no_query():
    event = EventFactory()
    with CaptureQueriesContext(connection) as queries:
        assert _free_seats(event, 0) == []
    assert len(queries) == 0
