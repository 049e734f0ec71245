"""Reads for the public pages: lists, calendar, detail, feed, home."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from federation.models import Organisation

from ..models import Event, Registration

# --- Public pages -----------------------------------------------------------------


def _with_seat_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        taken_count=Count(
            "registrations", filter=Q(registrations__status__in=Registration.SEAT_STATUSES)
        ),
        waitlist_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
    )


def places_left(event: Event) -> int | None:
    """Free places of an event from :func:`_with_seat_counts`; None when unlimited."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.taken_count, 0)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware Shanghai start of ``month`` and of the next month."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    to_aware = timezone.make_aware
    return (
        to_aware(datetime.datetime.combine(first, datetime.time())),
        to_aware(datetime.datetime.combine(following, datetime.time())),
    )


def event_list_public(
    *,
    kind: str = "",
    alliance_code: str = "",
    street_code: str = "",
    month: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Published events for the public list: upcoming, or all of ``month``."""
    queryset = Event.objects.in_lists().filter(status=Event.Status.PUBLISHED)
    if month:
        start, end = month_bounds(month)
        queryset = queryset.filter(starts_at__lt=end, ends_at__gte=start)
    else:
        queryset = queryset.upcoming(now)
    if kind:
        queryset = queryset.filter(kind=kind)
    if alliance_code:
        queryset = queryset.filter(alliance__code=alliance_code)
    if street_code:
        queryset = queryset.filter(street__code=street_code)
    return (
        _with_seat_counts(queryset)
        .select_related("alliance", "organisation", "hub", "street", "parent")
        .order_by("starts_at", "pk")
    )


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    events: list


def event_calendar_month(*, month: datetime.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of ``month``, each day with its published and completed events."""
    start, end = month_bounds(month)
    events = list(
        Event.objects.in_lists()
        .filter(status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED])
        .filter(starts_at__lt=end, ends_at__gte=start)
        .select_related("alliance")
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [CalendarDay(day, day.month == month.month, by_day.get(day, [])) for day in week]
        )
    return weeks


def event_get_public(*, slug: str) -> Event:
    """One event the public may see (not a draft), with its festival activities; 404 otherwise."""
    children = _with_seat_counts(
        Event.objects.exclude(status=Event.Status.DRAFT).select_related(
            "alliance", "organisation", "hub"
        )
    ).order_by("starts_at", "pk")
    event = (
        _with_seat_counts(Event.objects.listed())
        .select_related("alliance", "organisation", "hub", "street", "parent")
        .prefetch_related(Prefetch("children", queryset=children, to_attr="activities"))
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_get_for_signup(*, slug: str, seat_counts: bool = True) -> Event:
    """The event of a visitor sign-up (not a draft), with its seat counts only; 404 otherwise.

    The form shows the title, the date and the places left; the service locks and reads
    the row itself. No joins, no festival activities. A sign-up POST reads less still
    (``seat_counts=False``): the key and whether visitors may sign up, nothing else.
    """
    queryset = Event.objects.listed().filter(slug=slug).order_by()
    if seat_counts:
        queryset = _with_seat_counts(queryset)
    else:
        queryset = queryset.only("pk", "slug", "visitor_signup")
    event = queryset.first()
    if event is None:
        raise Http404
    return event


def event_list_feed(*, alliance_code: str = "", now: datetime.datetime | None = None):
    """Events for the iCalendar feed: published and cancelled ones from 90 days ago on."""
    since = (now or timezone.now()) - datetime.timedelta(days=90)
    queryset = Event.objects.in_lists().filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED, Event.Status.CANCELLED],
        ends_at__gte=since,
    )
    if alliance_code:
        queryset = queryset.filter(alliance__code=alliance_code)
    return queryset.select_related("alliance", "organisation", "hub", "street").order_by(
        "starts_at"
    )


def event_list_upcoming_for_home(*, limit: int = 3) -> list[Event]:
    return list(
        Event.objects.in_lists()
        .published()
        .upcoming()
        .filter(parent__isnull=True)
        .select_related("alliance")
        .order_by("starts_at", "pk")[:limit]
    )


def event_list_for_organiser(*, organisation: Organisation, limit: int = 5) -> list[Event]:
    return list(
        Event.objects.published()
        .upcoming()
        .filter(organisation=organisation)
        .order_by("starts_at", "pk")[:limit]
    )
