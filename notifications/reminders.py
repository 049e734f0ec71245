"""What a reminder rule yields, and the calendar arithmetic every rule shares.

A rule lives in the app that owns its data (``<app>/reminders.py``) and is
registered with ``notifications.registry.register_subject``. It is a callable
``reminders(*, rule, since, until)`` returning ``Reminder`` candidates; the
planner (``notifications.services.reminder_plan``) keeps those due in
``[since, until]`` and writes them to the outbox. Nothing here knows a domain app.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.timezone import SHANGHAI, day_start, local_date

from .registry import subject_get

__all__ = [
    "Reminder",
    "day_start",
    "local_date",
    "local_due_at",
    "moment_range",
    "subject_reminders",
]


@dataclass(frozen=True)
class Reminder:
    """One reminder a rule wants sent: to whom, when, about which occurrence."""

    kind: str
    dedupe_key: str
    due_at: datetime.datetime
    context: dict
    # Who: an account (preferred, for language and unsubscribing) or a bare address.
    recipient: object | None = None
    email: str = ""
    # Pointless from this moment on (the event started, the deadline passed).
    expires_at: datetime.datetime | None = None
    # Reminders of one occurrence for one person: after downtime only the latest is sent.
    group: str = ""
    # When the subject came to be: a reminder due before that never applied.
    since_at: datetime.datetime | None = None
    extra: dict = field(default_factory=dict)


def local_due_at(moment: datetime.date, *, offset_days: int, time_of_day: datetime.time):
    """``offset_days`` calendar days before ``moment`` at ``time_of_day`` in Asia/Shanghai."""
    day = moment - datetime.timedelta(days=offset_days)
    return datetime.datetime.combine(day, time_of_day, tzinfo=SHANGHAI)


def moment_range(
    *, since: datetime.datetime, until: datetime.datetime, offset_days: int
) -> tuple[datetime.date, datetime.date]:
    """The local dates whose reminder (``offset_days`` before, any time) may fall in the window."""
    first = local_date(since) + datetime.timedelta(days=offset_days)
    last = local_date(until) + datetime.timedelta(days=offset_days)
    return first, last


def subject_reminders(*, rule, since, until) -> Iterable[Reminder]:
    """The due reminders of ``rule`` in the window (none when no app registered its subject)."""
    registered = subject_get(rule.subject)
    if registered is None:
        return []  # a rule whose app is not installed (or not built yet)
    return [
        reminder
        for reminder in registered.reminders(rule=rule, since=since, until=until)
        if since <= reminder.due_at <= until
    ]
