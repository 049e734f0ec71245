"""Due computation of the events' reminder rules: month ends, leap years, Asia/Shanghai."""

import datetime

import pytest

from core.timezone import quarter_days, quarter_ends_between
from events.reminders import (
    event_starts_due_at,
    quarter_missing_due_at,
    registration_closes_due_at,
)
from notifications.models import ReminderRule
from tests.notifications.factories import shanghai

NINE = datetime.time(9, 0)
UTC = datetime.UTC


def rule(offset_days: int, time_of_day=NINE) -> ReminderRule:
    return ReminderRule(subject="event_starts", offset_days=offset_days, time_of_day=time_of_day)


@pytest.mark.parametrize(
    ("starts_at", "offset", "expected"),
    [
        # leap year: 1 March 2024 minus 1 and 3 days
        (shanghai(2024, 3, 1, 10), 1, shanghai(2024, 2, 29, 9)),
        (shanghai(2024, 3, 1, 10), 3, shanghai(2024, 2, 27, 9)),
        # common year
        (shanghai(2023, 3, 1, 10), 1, shanghai(2023, 2, 28, 9)),
        (shanghai(2023, 3, 1, 10), 3, shanghai(2023, 2, 26, 9)),
        # month and year ends
        (shanghai(2024, 5, 1, 14), 1, shanghai(2024, 4, 30, 9)),
        (shanghai(2025, 1, 1, 9, 30), 3, shanghai(2024, 12, 29, 9)),
        (shanghai(2024, 8, 1, 9), 1, shanghai(2024, 7, 31, 9)),
    ],
)
def test_event_starts_due_at_counts_local_calendar_days(starts_at, offset, expected):
    assert event_starts_due_at(starts_at=starts_at, rule=rule(offset)) == expected


def test_event_starts_due_at_uses_the_shanghai_date_not_utc():
    # 07:30 in Shanghai on 10 March is still 9 March in UTC.
    starts_at = datetime.datetime(2024, 3, 9, 23, 30, tzinfo=UTC)
    due = event_starts_due_at(starts_at=starts_at, rule=rule(1))
    assert due == shanghai(2024, 3, 9, 9)
    assert due == datetime.datetime(2024, 3, 9, 1, 0, tzinfo=UTC)
    assert due.utcoffset() == datetime.timedelta(hours=8)


def test_event_starts_due_at_follows_the_rules_time_of_day():
    due = event_starts_due_at(
        starts_at=shanghai(2024, 6, 10, 9), rule=rule(3, datetime.time(18, 45))
    )
    assert due == shanghai(2024, 6, 7, 18, 45)


def test_registration_closes_due_at_uses_the_local_closing_date():
    # 00:30 on 1 March 2024 in Shanghai is 29 February in UTC.
    closes_at = datetime.datetime(2024, 2, 29, 16, 30, tzinfo=UTC)
    due = registration_closes_due_at(closes_at=closes_at, rule=rule(2))
    assert due == shanghai(2024, 2, 28, 9)


@pytest.mark.parametrize(
    ("year", "quarter", "first", "last"),
    [
        (2024, 1, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        (2024, 2, datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
        (2024, 3, datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
        (2024, 4, datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_quarter_bounds(year, quarter, first, last):
    assert quarter_days(year, quarter) == (first, last)


@pytest.mark.parametrize(
    ("quarter_end", "offset", "expected"),
    [
        (datetime.date(2024, 3, 31), 21, shanghai(2024, 3, 10, 9)),
        (datetime.date(2024, 6, 30), 21, shanghai(2024, 6, 9, 9)),
        (datetime.date(2024, 9, 30), 21, shanghai(2024, 9, 9, 9)),
        (datetime.date(2024, 12, 31), 21, shanghai(2024, 12, 10, 9)),
        (datetime.date(2024, 3, 31), 40, shanghai(2024, 2, 20, 9)),
        (datetime.date(2023, 3, 31), 40, shanghai(2023, 2, 19, 9)),
    ],
)
def test_alliance_quarter_due_at_three_weeks_before_quarter_end(quarter_end, offset, expected):
    assert quarter_missing_due_at(quarter_end=quarter_end, rule=rule(offset)) == expected


def test_quarter_ends_between_crosses_the_year():
    ends = list(quarter_ends_between(datetime.date(2024, 12, 1), datetime.date(2025, 4, 30)))
    assert ends == [(2024, 4, datetime.date(2024, 12, 31)), (2025, 1, datetime.date(2025, 3, 31))]
