"""Reads for street hubs: their own events, events held in their street, street figures.

Kept apart from ``selectors.py`` while that module is split into a package.
Every ``*_for_hub`` reader filters by the hub (or its street) and answers 404
for another street's event.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.timezone import SHANGHAI
from federation.models import StreetHub

from .models import Event, Registration
from .selectors import _with_seat_counts

_RELATED = ("alliance", "organisation", "hub", "street")


def event_list_for_hub(*, hub: StreetHub) -> QuerySet[Event]:
    """The hub's own events (drafts too) and every listed event held in its street, newest first."""
    queryset = Event.objects.filter(
        Q(hub=hub) | (Q(street_id=hub.street_id) & ~Q(status=Event.Status.DRAFT))
    )
    return _with_seat_counts(queryset).select_related(*_RELATED).order_by("-starts_at", "-pk")


def hub_event_get_for_hub(*, hub: StreetHub, pk: int) -> Event:
    """One of the hub's own events; 404 for anyone else's."""
    event = (
        _with_seat_counts(Event.objects.filter(hub=hub, pk=pk))
        .select_related(*_RELATED, "reviewed_by")
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_get_for_street_check_in(*, hub: StreetHub, slug: str) -> Event:
    """A published or completed event held in the hub's street; 404 otherwise."""
    event = (
        _with_seat_counts(
            Event.objects.filter(
                street_id=hub.street_id,
                slug=slug,
                status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
            )
        )
        .select_related(*_RELATED)
        .first()
    )
    if event is None:
        raise Http404
    return event


def registration_list_for_street_event(*, event: Event) -> QuerySet[Registration]:
    """Live registrations of an event, for the hub's check-in list (mobiles shown masked)."""
    return (
        Registration.objects.filter(event=event)
        .live()
        .select_related("organisation")
        .order_by("name", "pk")
    )


def registration_get_for_street_event(*, event: Event, pk: int) -> Registration:
    registration = Registration.objects.select_related("event").filter(event=event, pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def hub_event_list_for_review() -> QuerySet[Event]:
    """Hubs' drafts awaiting federation approval, oldest submission first."""
    return (
        Event.objects.filter(
            hub__isnull=False, status=Event.Status.DRAFT, review_state=Event.Review.SUBMITTED
        )
        .select_related("hub", "street")
        .order_by("submitted_at", "pk")
    )


def hub_event_get_for_review(*, pk: int) -> Event:
    event = hub_event_list_for_review().filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def event_list_upcoming_for_street(*, street_id: int, limit: int = 10) -> list[Event]:
    """Published events not yet over, held in the street, soonest first (public)."""
    return list(
        _with_seat_counts(Event.objects.published().upcoming().filter(street_id=street_id))
        .select_related(*_RELATED)
        .order_by("starts_at", "pk")[:limit]
    )


@dataclass(frozen=True)
class StreetEventFigures:
    year: int
    events_held: int
    caravans_held: int
    participants: int
    hours: Decimal


def street_event_figures(*, street_id: int, year: int) -> StreetEventFigures:
    """This ``year``'s events held in the street (published and over, or completed; by start
    in Shanghai time), people who attended them and the hours credited. Two queries."""
    start = datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    held = Event.objects.filter(
        street_id=street_id, starts_at__gte=start, starts_at__lt=end
    ).filter(
        Q(status=Event.Status.COMPLETED)
        | Q(status=Event.Status.PUBLISHED, ends_at__lt=timezone.now())
    )
    counts = held.aggregate(
        events=Count("pk"), caravans=Count("pk", filter=Q(kind=Event.Kind.CARAVAN))
    )
    attended = Registration.objects.filter(
        event__in=held.values("pk"), status=Registration.Status.ATTENDED
    ).aggregate(
        people=Count("pk"),
        hours=Coalesce(
            Sum("hours"),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )
    return StreetEventFigures(
        year=year,
        events_held=counts["events"],
        caravans_held=counts["caravans"],
        participants=attended["people"],
        hours=attended["hours"],
    )
