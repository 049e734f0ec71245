"""Reads for alliance secretaries' own events."""

from django.db.models import QuerySet
from django.http import Http404

from federation.models import User

from ..models import Event
from .public import _with_seat_counts

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
