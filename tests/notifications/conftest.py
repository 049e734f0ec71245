import datetime

import pytest
from django.utils import timezone


class Clock:
    """A settable ``timezone.now`` for the planner's and dispatcher's notion of time."""

    def __init__(self, now: datetime.datetime):
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now

    def set(self, now: datetime.datetime) -> None:
        self.now = now

    def advance(self, **kwargs) -> None:
        self.now += datetime.timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", fake)
    return fake
