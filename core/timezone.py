"""Shanghai time: the one time-zone constant and the quarter arithmetic every app uses."""

import datetime
import zoneinfo

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local_date(value: datetime.datetime) -> datetime.date:
    """The Asia/Shanghai calendar date of an aware datetime."""
    return value.astimezone(SHANGHAI).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)
