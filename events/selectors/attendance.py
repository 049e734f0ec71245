"""Reads for check-in and service hours; volunteer star levels."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.timezone import day_start, local_date
from federation.models import Organisation, User
from federation.rules import user_is_federation_staff

from ..check_in_codes import check_in_code_normalise
from ..models import Event, Participant, Registration
from .access import user_may_manage_attendance
from .public import _with_seat_counts

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


def event_list_for_attendance(*, user: User) -> list[Event]:
    """Events the user checks people in for: today's (Shanghai day) first, then coming
    ones soonest first, then those of the last 30 days most recent first.

    Each event carries ``check_in_group``: "today", "upcoming" or "recent".
    """
    now = timezone.now()
    today_start = day_start(local_date(now))
    tomorrow_start = day_start(local_date(now) + datetime.timedelta(days=1))
    queryset = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        ends_at__gte=now - datetime.timedelta(days=30),
    )
    if not user_is_federation_staff(user):
        queryset = queryset.filter(alliance__secretary=user)
    events = list(_with_seat_counts(queryset).select_related("alliance").order_by("starts_at"))
    groups = {"today": [], "upcoming": [], "recent": []}
    for event in events:
        # An event running today (started earlier, or ending today) counts as today's.
        if event.starts_at < tomorrow_start and event.ends_at >= today_start:
            event.check_in_group = "today"
        elif event.starts_at >= tomorrow_start:
            event.check_in_group = "upcoming"
        else:
            event.check_in_group = "recent"
        groups[event.check_in_group].append(event)
    return groups["today"] + groups["upcoming"] + groups["recent"][::-1]


def token_from_scan(value: str) -> str:
    """A scanned QR holds the check-in URL; a typed value is the token itself."""
    value = (value or "").strip()
    if "token=" in value:
        value = value.split("token=", 1)[1].split("&", 1)[0]
    return value


# registration_token(): 16 random bytes, URL-safe base64 without padding.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass(frozen=True)
class CheckInLookup:
    """What a scanned or typed ticket points at, seen from one event's check-in."""

    registration: Registration | None  # the ticket, when it is for this event
    other_event: Event | None = None  # the ticket (or a code) belongs to this other event
    is_ticket: bool = False  # the value was a check-in URL, a token or a code


def registration_find_for_check_in(*, event: Event, value: str) -> CheckInLookup:
    """Find a ticket of ``event`` by its scanned URL, its token or its short code.

    The code is read forgivingly (``events.check_in_codes``); a token or a code of
    another event (codes: one held today) is reported as such, never checked in.
    """
    value = (value or "").strip()
    token, code = token_from_scan(value), check_in_code_normalise(value)
    tickets = Registration.objects.select_related("event", "event__alliance")
    if code:
        found = tickets.filter(event=event, check_in_code=code).first()
        if found:
            return CheckInLookup(found, is_ticket=True)
    if _TOKEN.fullmatch(token):
        found = tickets.filter(token=token).first()
        if found:
            if found.event_id == event.pk:
                return CheckInLookup(found, is_ticket=True)
            return CheckInLookup(None, other_event=found.event, is_ticket=True)
    if code:
        today = local_date(timezone.now())
        other = (
            tickets.filter(
                check_in_code=code,
                event__starts_at__lt=day_start(today + datetime.timedelta(days=1)),
                event__ends_at__gte=day_start(today),
            )
            .exclude(event=event)
            .first()
        )
        return CheckInLookup(None, other_event=other.event if other else None, is_ticket=True)
    return CheckInLookup(None, is_ticket="token=" in value)


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
    """Live registrations matching a token, a check-in code, a name, or the last four
    mobile digits."""
    query = (query or "").strip()
    if not query:
        return []
    base = (
        Registration.objects.filter(event=event)
        .live()
        .select_related("organisation")
        .order_by("name", "pk")
    )
    exact_condition = Q(token=token_from_scan(query))
    code = check_in_code_normalise(query)
    if code:
        exact_condition |= Q(check_in_code=code)
    exact = base.filter(exact_condition)
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
        .order_by("-total_hours", "name", "pk")
    )


def hours_totals() -> dict:
    """The hours overview's summary over every organisation: ``hours``, ``people``."""
    return Registration.objects.filter(
        status=Registration.Status.ATTENDED, organisation__isnull=False
    ).aggregate(
        hours=Coalesce(
            Sum("hours"),
            Value(ZERO_HOURS),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        people=Count("participant", distinct=True),
    )
