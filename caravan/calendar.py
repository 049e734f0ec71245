"""Caravan dates: the series' rule (``dateutil.rrule``) and China's holiday calendar.

A date on a statutory holiday or a make-up working day (调休) moves to the next
suitable day: an ordinary rest day for a weekend series, an ordinary working
day for a weekday one. ``chinesecalendar`` knows each year only once the State
Council publishes it; a later year is kept as the rule gives it and flagged.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, weekday
from dateutil.rrule import rrule as make_rrule
from django.utils.translation import gettext as _

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
# Never search further than this for a suitable day (a long holiday is 9 days).
SEARCH_DAYS = 21


class CalendarUnknown(Exception):
    """The official holiday calendar for that year is not known yet."""


@dataclass(frozen=True)
class Occurrence:
    scheduled_on: datetime.date
    held_on: datetime.date
    moved_reason: str
    is_calendar_checked: bool


def _detail(day: datetime.date) -> tuple[bool, str | None]:
    try:
        return chinese_calendar.get_holiday_detail(day)
    except NotImplementedError as exc:
        raise CalendarUnknown(str(exc)) from exc


def _is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


def _problem(day: datetime.date) -> tuple[str, str] | None:
    """``(kind, holiday)`` when ``day`` is a statutory holiday or a make-up working day."""
    is_rest, name = _detail(day)
    if name is None:
        return None
    holiday = HOLIDAY_NAMES.get(name, name)
    if is_rest:
        return "holiday", holiday
    return "make_up", holiday


def _suitable(day: datetime.date, *, weekend: bool) -> bool:
    return _is_weekend(day) == weekend and _problem(day) is None


def rule_dates(
    *, weekday_index: int, week_of_month: int, first_month: datetime.date, months: int
) -> list[datetime.date]:
    """The rule's date in each of ``months`` months from ``first_month`` (e.g. third Saturday)."""
    start = datetime.datetime.combine(first_month.replace(day=1), datetime.time())
    until = start + relativedelta(months=months) - datetime.timedelta(days=1)
    rule = make_rrule(
        MONTHLY, byweekday=weekday(weekday_index, week_of_month), dtstart=start, until=until
    )
    return [moment.date() for moment in rule]


def occurrence_for(day: datetime.date) -> Occurrence:
    """Where the caravan of ``day`` is held, and why it moved if it did."""
    try:
        problem = _problem(day)
    except CalendarUnknown:
        return Occurrence(day, day, "", is_calendar_checked=False)
    if problem is None:
        return Occurrence(day, day, "", is_calendar_checked=True)
    weekend = _is_weekend(day)
    candidate = day
    try:
        for _step in range(SEARCH_DAYS):
            candidate += datetime.timedelta(days=1)
            if _suitable(candidate, weekend=weekend):
                break
        else:
            return Occurrence(day, day, "", is_calendar_checked=False)
    except CalendarUnknown:
        return Occurrence(day, day, "", is_calendar_checked=False)
    kind, holiday = problem
    if kind == "holiday":
        reason = _("%(date)s is a statutory holiday (%(holiday)s); moved to %(new)s.")
    else:
        reason = _("%(date)s is a make-up working day (%(holiday)s); moved to %(new)s.")
    reason = reason % {"date": day.isoformat(), "holiday": holiday, "new": candidate.isoformat()}
    return Occurrence(day, candidate, reason, is_calendar_checked=True)
