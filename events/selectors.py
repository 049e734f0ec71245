"""Reads for event pages, permission-scoped and prefetched (no N+1)."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from alliances.models import Alliance
from federation.models import Organisation, User

from .models import Event, Participant, Registration

ZERO_HOURS = Decimal("0.00")

# Shanghai volunteer star levels by cumulative hours (DOMAIN.md §7): 1★ 100 h,
# 2★ 300 h, 3★ 600 h are verified; 4★ 1000 h and 5★ 1500 h follow the national
# 2012 volunteer-record measures and are unverified for Shanghai.
STAR_THRESHOLDS = (
    (5, Decimal("1500")),
    (4, Decimal("1000")),
    (3, Decimal("600")),
    (2, Decimal("300")),
    (1, Decimal("100")),
)


def star_level(hours: Decimal | None) -> int:
    """The Shanghai star level (0–5) for a volunteer's cumulative hours."""
    hours = hours or ZERO_HOURS
    for level, threshold in STAR_THRESHOLDS:
        if hours >= threshold:
            return level
    return 0


# --- Who may do what ------------------------------------------------------------


def user_is_alliance_secretary(*, user: User, alliance_id: int | None) -> bool:
    if alliance_id is None or not user.is_authenticated:
        return False
    return Alliance.objects.filter(pk=alliance_id, secretary=user).exists()


def user_may_manage_attendance(*, user: User, event: Event) -> bool:
    """Staff, or the secretary of the event's organising alliance."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user_is_alliance_secretary(user=user, alliance_id=event.alliance_id)


def alliance_list_for_secretary(*, user: User) -> QuerySet[Alliance]:
    if not user.is_authenticated:
        return Alliance.objects.none()
    return Alliance.objects.filter(secretary=user).order_by("position", "code")


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
    queryset = Event.objects.filter(status=Event.Status.PUBLISHED)
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
        .select_related("alliance", "organisation", "street", "parent")
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
        Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED])
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
        Event.objects.exclude(status=Event.Status.DRAFT).select_related("alliance", "organisation")
    ).order_by("starts_at", "pk")
    event = (
        _with_seat_counts(Event.objects.listed())
        .select_related("alliance", "organisation", "street", "parent")
        .prefetch_related(Prefetch("children", queryset=children, to_attr="activities"))
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_list_feed(*, alliance_code: str = "", now: datetime.datetime | None = None):
    """Events for the iCalendar feed: published and cancelled ones from 90 days ago on."""
    since = (now or timezone.now()) - datetime.timedelta(days=90)
    queryset = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED, Event.Status.CANCELLED],
        ends_at__gte=since,
    )
    if alliance_code:
        queryset = queryset.filter(alliance__code=alliance_code)
    return queryset.select_related("alliance", "organisation", "street").order_by("starts_at")


def event_list_upcoming_for_home(*, limit: int = 3) -> list[Event]:
    return list(
        Event.objects.published()
        .upcoming()
        .filter(parent__isnull=True)
        .select_related("alliance")
        .order_by("starts_at", "pk")[:limit]
    )


# --- Organisation area ------------------------------------------------------------


def participant_list_for_organisation(
    *, organisation: Organisation, active_only: bool = False
) -> QuerySet[Participant]:
    queryset = Participant.objects.filter(organisation=organisation)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name", "pk")


def participant_get_for_organisation(*, organisation: Organisation, pk: int) -> Participant:
    participant = Participant.objects.filter(organisation=organisation, pk=pk).first()
    if participant is None:
        raise Http404
    return participant


def registration_list_for_organisation(
    *, organisation: Organisation, upcoming_only: bool = False
) -> QuerySet[Registration]:
    queryset = Registration.objects.filter(organisation=organisation)
    if upcoming_only:
        queryset = queryset.filter(event__ends_at__gte=timezone.now())
    return queryset.select_related("event", "participant").order_by("-event__starts_at", "name")


def registration_get_for_organisation(*, organisation: Organisation, pk: int) -> Registration:
    """One of ``organisation``'s registrations; 404 for anyone else's."""
    registration = (
        Registration.objects.select_related("event", "event__alliance", "participant")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def registration_get_by_token(*, token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event").filter(token=token, participant=None).first()
    )
    if registration is None:
        raise Http404
    return registration


def event_registrations_for_organisation(
    *, event: Event, organisation: Organisation
) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, organisation=organisation).live()


# --- Check-in and hours -----------------------------------------------------------


def event_get_for_attendance(*, slug: str, user: User) -> Event:
    """An event ``user`` may check people in for; 404 otherwise (staff or its secretary)."""
    event = (
        _with_seat_counts(Event.objects.exclude(status=Event.Status.DRAFT))
        .select_related("alliance")
        .filter(slug=slug)
        .first()
    )
    if event is None or not user_may_manage_attendance(user=user, event=event):
        raise Http404
    return event


def event_list_for_attendance(*, user: User) -> QuerySet[Event]:
    """Events the user checks people in for, recent and coming ones first."""
    queryset = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        ends_at__gte=timezone.now() - datetime.timedelta(days=30),
    )
    if not user.is_staff:
        queryset = queryset.filter(alliance__secretary=user)
    return _with_seat_counts(queryset).select_related("alliance").order_by("starts_at")


def token_from_scan(value: str) -> str:
    """A scanned QR holds the check-in URL; a typed value is the token itself."""
    value = (value or "").strip()
    if "token=" in value:
        value = value.split("token=", 1)[1].split("&", 1)[0]
    return value


def registration_get_for_check_in(
    *, event: Event, pk: int | None = None, token: str = ""
) -> Registration | None:
    """One registration of ``event`` by id or ticket token, or None."""
    queryset = Registration.objects.select_related("event", "event__alliance").filter(event=event)
    if pk is not None:
        return queryset.filter(pk=pk).first()
    if token:
        return queryset.filter(token=token).first()
    return None


def registration_search_for_check_in(*, event: Event, query: str) -> list[Registration]:
    """Live registrations matching a token, a name, or the last four mobile digits."""
    query = (query or "").strip()
    if not query:
        return []
    base = (
        Registration.objects.filter(event=event)
        .live()
        .select_related("organisation")
        .order_by("name", "pk")
    )
    token = token_from_scan(query)
    exact = base.filter(token=token)
    if exact:
        return list(exact)
    condition = Q(name__icontains=query)
    if query.isdigit() and len(query) == 4:
        condition |= Q(mobile__endswith=query)
    return list(base.filter(condition)[:50])


def registration_list_for_attendance(*, event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event)
        .live()
        .select_related("organisation", "participant")
        .order_by("status", "name", "pk")
    )


def hours_sum(relation: str):
    """Sum of attended registrations' hours over ``relation`` (to Registration)."""
    attended = Q(**{f"{relation}__status": Registration.Status.ATTENDED})
    return Coalesce(
        Sum(f"{relation}__hours", filter=attended),
        Value(ZERO_HOURS),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def participant_list_with_hours(*, organisation: Organisation) -> list[Participant]:
    """The organisation's participants with ``total_hours`` and ``stars``, most hours first."""
    participants = list(
        Participant.objects.filter(organisation=organisation)
        .annotate(
            total_hours=hours_sum("registrations"),
            attended_count=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.ATTENDED),
            ),
        )
        .order_by("-total_hours", "name", "pk")
    )
    for participant in participants:
        participant.stars = star_level(participant.total_hours)
    return participants


def organisation_hours_total(*, organisation: Organisation) -> Decimal:
    total = Registration.objects.filter(
        organisation=organisation, status=Registration.Status.ATTENDED
    ).aggregate(total=Sum("hours"))["total"]
    return total or ZERO_HOURS


def organisation_list_with_hours() -> QuerySet[Organisation]:
    """Organisations with credited hours, most first (staff overview)."""
    return (
        Organisation.objects.annotate(
            total_hours=hours_sum("event_registrations"),
            people_count=Count(
                "event_registrations__participant",
                filter=Q(event_registrations__status=Registration.Status.ATTENDED),
                distinct=True,
            ),
        )
        .filter(total_hours__gt=0)
        .order_by("-total_hours", "name")
    )


# --- Alliance secretaries' own events ---------------------------------------------


def event_list_for_secretary(*, user: User) -> QuerySet[Event]:
    return (
        _with_seat_counts(Event.objects.filter(alliance__secretary=user))
        .select_related("alliance")
        .order_by("-starts_at")
    )


def event_get_for_secretary(*, user: User, pk: int) -> Event:
    event = Event.objects.filter(alliance__secretary=user, pk=pk).select_related("alliance").first()
    if event is None:
        raise Http404
    return event
