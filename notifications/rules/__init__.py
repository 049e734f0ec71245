"""Reminder rules: one module per subject computes which reminders are due.

Each ``notifications/rules/<subject>.py`` has ``reminders(*, rule, since, until)``
returning the ``Reminder`` candidates whose due moment lies in ``[since, until]``.
The modules import the other apps' models inside their functions, so no import
cycle arises and a subject whose app is missing simply yields nothing.
"""

import datetime
import importlib
import importlib.util
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# subject -> module (relative to this package) holding its due computation
SUBJECT_MODULES = {
    "event_starts": "event_starts",
    "registration_closes": "registration_closes",
    "inspection_due": "inspection_due",
    "alliance_quarter_missing": "alliance_quarter_missing",
    "pledge_overdue": "pledge_overdue",
    "grant_report_due": "grant_report_due",
}


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


def local_date(value: datetime.datetime) -> datetime.date:
    return value.astimezone(SHANGHAI).date()


def moment_range(
    *, since: datetime.datetime, until: datetime.datetime, offset_days: int
) -> tuple[datetime.date, datetime.date]:
    """The local dates whose reminder (``offset_days`` before, any time) may fall in the window."""
    first = local_date(since) + datetime.timedelta(days=offset_days)
    last = local_date(until) + datetime.timedelta(days=offset_days)
    return first, last


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def subject_reminders(*, rule, since, until) -> Iterable[Reminder]:
    """The due reminders of ``rule`` in the window (nothing when its subject's app is absent)."""
    from notifications.registry import subject_get

    registered = subject_get(rule.subject)
    if registered is not None:
        return [
            reminder
            for reminder in registered.reminders(rule=rule, since=since, until=until)
            if since <= reminder.due_at <= until
        ]
    module_name = SUBJECT_MODULES.get(rule.subject)
    if module_name is None or importlib.util.find_spec(f"{__name__}.{module_name}") is None:
        return []  # a rule whose subject is not built yet
    module = importlib.import_module(f"{__name__}.{module_name}")
    if not module.available():
        return []
    return [
        reminder
        for reminder in module.reminders(rule=rule, since=since, until=until)
        if since <= reminder.due_at <= until
    ]


def absolute_url(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path if path else ""
