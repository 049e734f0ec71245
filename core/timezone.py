"""Shanghai time: the one time-zone constant and the quarter arithmetic every app uses."""

import datetime
import zoneinfo

from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local_date(value: datetime.datetime) -> datetime.date:
    """The Asia/Shanghai calendar date of an aware datetime."""
    return value.astimezone(SHANGHAI).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def this_year() -> int:
    """The current calendar year in Asia/Shanghai."""
    return timezone.localdate(timezone=SHANGHAI).year


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware Shanghai start of ``year`` and of the next year."""
    return day_start(datetime.date(year, 1, 1)), day_start(datetime.date(year + 1, 1, 1))


def quarter_of(day: datetime.date) -> int:
    """The calendar quarter (1–4) of a date (of a moment: ``quarter_of(local_date(m))``)."""
    return (day.month - 1) // 3 + 1


def quarter_days(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar quarter."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = (
        datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    )
    return first, next_first - datetime.timedelta(days=1)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware Shanghai start of the quarter and of the next one."""
    first, last = quarter_days(year, quarter)
    return day_start(first), day_start(last + datetime.timedelta(days=1))


def quarter_ends_between(first: datetime.date, last: datetime.date):
    """``(year, quarter, last day)`` of every quarter whose last day is in ``[first, last]``."""
    year, quarter = first.year, quarter_of(first)
    while True:
        _start, end = quarter_days(year, quarter)
        if end > last:
            return
        if end >= first:
            yield year, quarter, end
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
