"""Alliance quarter missing a team building or a training: the secretary, before quarter end."""

import datetime

from . import Reminder, day_start, local_due_at, moment_range


def available() -> bool:
    try:
        from alliances.models import Alliance  # noqa: F401
        from events.models import Event
    except ImportError:
        return False
    return hasattr(Event.Kind, "TEAM_BUILDING") and hasattr(Event.Kind, "TRAINING")


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return first, next_first - datetime.timedelta(days=1)


def quarter_ends_between(first: datetime.date, last: datetime.date):
    """Every quarter's last day in ``[first, last]``."""
    year, quarter = quarter_of(first)
    while True:
        _start, end = quarter_bounds(year, quarter)
        if end > last:
            return
        if end >= first:
            yield year, quarter, end
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def due_at_for(*, quarter_end: datetime.date, rule) -> datetime.datetime:
    return local_due_at(quarter_end, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def missing_kinds(*, alliance_id: int, year: int, quarter: int) -> list[str]:
    """The kinds (team building, training) neither held nor scheduled in the quarter.

    The events' quarterly plan owns the definition, so the staff matrix and
    the reminder never disagree.
    """
    from events.selectors import alliance_quarter_missing_kinds

    return alliance_quarter_missing_kinds(alliance_id=alliance_id, year=year, quarter=quarter)


def reminders(*, rule, since, until):
    from django.conf import settings
    from django.urls import reverse

    from alliances.models import Alliance

    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    quarters = list(quarter_ends_between(first, last))
    if not quarters:
        return
    alliances = list(
        Alliance.objects.filter(secretary__isnull=False, secretary__is_active=True)
        .select_related("secretary")
        .order_by("pk")
    )
    for year, quarter, quarter_end in quarters:
        for alliance in alliances:
            missing = missing_kinds(alliance_id=alliance.pk, year=year, quarter=quarter)
            if not missing:
                continue
            occurrence = (
                f"alliance_quarter_missing:alliance:{alliance.pk}:{year}Q{quarter}"
                f":user:{alliance.secretary_id}"
            )
            yield Reminder(
                kind="alliance_quarter_missing",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=due_at_for(quarter_end=quarter_end, rule=rule),
                context={
                    "alliance_name": alliance.name_zh,
                    "alliance_name_en": alliance.name_en,
                    "year": year,
                    "quarter": quarter,
                    "quarter_end": quarter_end,
                    "missing_codes": [str(kind) for kind in missing],
                    # Straight to the secretary's page of this alliance.
                    "url": settings.SITE_URL.rstrip("/")
                    + reverse("alliances:manage", kwargs={"code": alliance.code}),
                },
                recipient=alliance.secretary,
                expires_at=day_start(quarter_end + datetime.timedelta(days=1)),
                group=occurrence,
            )
