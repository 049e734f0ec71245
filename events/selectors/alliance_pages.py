"""An alliance's activities and yearly figures on its public pages."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from alliances.models import Alliance
from core.timezone import year_bounds

from ..models import Event, Registration
from .attendance import ZERO_HOURS, hours_sum
from .quarters import _alliance_activities, activity_is_held

# --- An alliance's activities on its public pages --------------------------------------


def event_list_upcoming_for_alliance(*, alliance: Alliance, limit: int = 10) -> list[Event]:
    """The alliance's published events not yet over, soonest first."""
    return list(
        Event.objects.published()
        .upcoming()
        .filter(alliance=alliance)
        .select_related("street")
        .order_by("starts_at", "pk")[:limit]
    )


def event_list_past_for_alliance(*, alliance: Alliance, limit: int = 10) -> list[Event]:
    """The alliance's held activities (completed, or published and over), latest first."""
    now = timezone.now()
    return list(
        Event.objects.filter(alliance=alliance)
        .filter(
            Q(status=Event.Status.COMPLETED) | Q(status=Event.Status.PUBLISHED, ends_at__lt=now)
        )
        .select_related("street")
        .order_by("-starts_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class AllianceYearFigures:
    year: int
    held_count: int
    participant_count: int  # attended registrations
    volunteer_hours: Decimal  # credited hours of attended registrations


def alliance_year_figures(*, alliance: Alliance, year: int) -> AllianceYearFigures:
    """Activities held, participants and volunteer hours of the alliance's events in ``year``."""
    now = timezone.now()
    held = Q(status=Event.Status.COMPLETED) | Q(ends_at__lt=now)
    attended = Q(registrations__status=Registration.Status.ATTENDED)
    figures = (
        _alliance_activities(*year_bounds(year))
        .filter(alliance=alliance)
        .aggregate(
            held_count=Count("pk", filter=held, distinct=True),
            participant_count=Count("registrations", filter=attended),
            volunteer_hours=hours_sum("registrations"),
        )
    )
    return AllianceYearFigures(
        year=year,
        held_count=figures["held_count"],
        participant_count=figures["participant_count"],
        volunteer_hours=Decimal(figures["volunteer_hours"]).quantize(ZERO_HOURS),
    )


@dataclass
class AllianceYearSummary:
    held_count: int = 0
    scheduled_count: int = 0
    next_event: Event | None = None


def alliance_activity_summaries(*, year: int) -> dict[int, AllianceYearSummary]:
    """Per alliance id: activities held and still to come in ``year``, and the next one. One query."""
    now = timezone.now()
    summaries: dict[int, AllianceYearSummary] = {}
    events = (
        _alliance_activities(*year_bounds(year))
        .only("pk", "slug", "title", "kind", "status", "starts_at", "ends_at", "alliance_id")
        .order_by("starts_at", "pk")
    )
    for event in events:
        summary = summaries.setdefault(event.alliance_id, AllianceYearSummary())
        if activity_is_held(event, now=now):
            summary.held_count += 1
        else:
            summary.scheduled_count += 1
            summary.next_event = summary.next_event or event
    return summaries
