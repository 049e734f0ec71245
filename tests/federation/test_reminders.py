"""Due computation of the annual inspection reminder: 31 March / 31 May, leap years."""

import datetime

import pytest

from federation.reminders import deadline_dates_between, inspection_due_at
from notifications.models import ReminderRule
from tests.notifications.factories import shanghai

NINE = datetime.time(9, 0)


def rule(offset_days: int, time_of_day=NINE) -> ReminderRule:
    return ReminderRule(subject="event_starts", offset_days=offset_days, time_of_day=time_of_day)


@pytest.mark.parametrize(
    ("due_on", "offset", "expected"),
    [
        (datetime.date(2024, 3, 31), 30, shanghai(2024, 3, 1, 9)),
        (datetime.date(2025, 3, 31), 30, shanghai(2025, 3, 1, 9)),
        (datetime.date(2024, 3, 31), 7, shanghai(2024, 3, 24, 9)),
        (datetime.date(2024, 5, 31), 30, shanghai(2024, 5, 1, 9)),
        (datetime.date(2024, 5, 31), 7, shanghai(2024, 5, 24, 9)),
        # an offset crossing February: leap and common year
        (datetime.date(2024, 3, 31), 35, shanghai(2024, 2, 25, 9)),
        (datetime.date(2025, 3, 31), 35, shanghai(2025, 2, 24, 9)),
    ],
)
def test_inspection_due_at_before_31_march_and_31_may(due_on, offset, expected):
    assert inspection_due_at(due_on=due_on, rule=rule(offset)) == expected


def test_inspection_deadlines_between_lists_only_march_and_may_ends():
    days = list(deadline_dates_between(datetime.date(2024, 3, 1), datetime.date(2025, 4, 1)))
    assert days == [
        datetime.date(2024, 3, 31),
        datetime.date(2024, 5, 31),
        datetime.date(2025, 3, 31),
    ]
