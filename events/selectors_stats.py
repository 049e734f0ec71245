"""Figures for the staff dashboard, the annual report and an organisation's evidence pack.

One grouped query per function, whatever the number of events or registrations.
An event counts in the month and year in which it starts, in Asia/Shanghai (an
event at 23:30 on 31 December local time belongs to that year, whatever UTC says).
Drafts and cancelled events count nowhere.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from alliances.models import Alliance
from core.timezone import SHANGHAI
from federation.models import Organisation, Street

from .models import Event, Registration

ZERO_HOURS = Decimal("0.00")
COUNTED_STATUSES = (Event.Status.PUBLISHED, Event.Status.COMPLETED)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware Shanghai start of ``year`` and of the next year."""
    return (
        datetime.datetime(year, 1, 1, tzinfo=SHANGHAI),
        datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI),
    )


@dataclass
class EventFigures:
    """Events and their registrations in one month, alliance or year."""

    events: int = 0
    registrations: int = 0  # seat-holding: confirmed, attended, no-show
    attended: int = 0
    no_show: int = 0
    hours: Decimal = ZERO_HOURS  # credited hours of attended registrations

    @property
    def attendance_rate(self) -> Decimal | None:
        """Attended out of those whose attendance was taken, in per cent (None if none)."""
        taken = self.attended + self.no_show
        if not taken:
            return None
        return (Decimal(100) * self.attended / taken).quantize(Decimal("0.1"))


def _counted_events(year: int, street: Street | None):
    start, end = year_bounds(year)
    events = Event.objects.filter(
        status__in=COUNTED_STATUSES, starts_at__gte=start, starts_at__lt=end
    )
    if street is not None:
        events = events.filter(street=street)
    return events


def _figures():
    status = "registrations__status"
    return {
        "n_events": Count("pk", distinct=True),
        "n_registrations": Count(
            "registrations", filter=Q(**{f"{status}__in": Registration.SEAT_STATUSES})
        ),
        "n_attended": Count("registrations", filter=Q(**{status: Registration.Status.ATTENDED})),
        "n_no_show": Count("registrations", filter=Q(**{status: Registration.Status.NO_SHOW})),
        "n_hours": Coalesce(
            Sum("registrations__hours", filter=Q(**{status: Registration.Status.ATTENDED})),
            Value(ZERO_HOURS),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    }


def _to_figures(row: dict) -> EventFigures:
    return EventFigures(
        events=row["n_events"],
        registrations=row["n_registrations"],
        attended=row["n_attended"],
        no_show=row["n_no_show"],
        hours=Decimal(row["n_hours"]).quantize(ZERO_HOURS),
    )


def event_figures_by_month(*, year: int, street: Street | None = None) -> list[EventFigures]:
    """Twelve entries, January first: events, registrations, attendance and hours."""
    rows = (
        _counted_events(year, street)
        .annotate(month=ExtractMonth("starts_at", tzinfo=SHANGHAI))
        .values("month")
        .annotate(**_figures())
        .order_by("month")
    )
    by_month = {row["month"]: _to_figures(row) for row in rows}
    return [by_month.get(month, EventFigures()) for month in range(1, 13)]


def event_figures_by_alliance(
    *, year: int, street: Street | None = None
) -> list[tuple[Alliance | None, EventFigures]]:
    """Every alliance in order (zeros included), then events of no alliance (``None``)."""
    rows = _counted_events(year, street).values("alliance").annotate(**_figures()).order_by()
    by_alliance = {row["alliance"]: _to_figures(row) for row in rows}
    result: list[tuple[Alliance | None, EventFigures]] = [
        (alliance, by_alliance.get(alliance.pk, EventFigures()))
        for alliance in Alliance.objects.order_by("position", "pk")
    ]
    result.append((None, by_alliance.get(None, EventFigures())))
    return result


def event_figures_for_year(*, year: int, street: Street | None = None) -> EventFigures:
    """The year's totals (one aggregate)."""
    return _to_figures(_counted_events(year, street).aggregate(**_figures()))


# --- An organisation's evidence pack ------------------------------------------------------


@dataclass
class AttendedEvent:
    title: str
    kind: str
    starts_at: datetime.datetime
    alliance: str
    people: int
    hours: Decimal


def event_list_attended_by_organisation(
    *, organisation: Organisation, year: int
) -> list[AttendedEvent]:
    """The year's events where the organisation's people attended, with people and hours."""
    attended = Q(registrations__status=Registration.Status.ATTENDED) & Q(
        registrations__organisation=organisation
    )
    rows = (
        _counted_events(year, None)
        .filter(attended)
        .values("pk", "title", "kind", "starts_at", "alliance__name_zh", "alliance__name_en")
        .annotate(
            people=Count("registrations", filter=attended),
            hours=Coalesce(
                Sum("registrations__hours", filter=attended),
                Value(ZERO_HOURS),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("starts_at", "pk")
    )
    kinds = dict(Event.Kind.choices)
    return [
        AttendedEvent(
            title=row["title"],
            kind=str(kinds.get(row["kind"], row["kind"])),
            starts_at=row["starts_at"],
            alliance=row["alliance__name_zh"] or "",
            people=row["people"],
            hours=Decimal(row["hours"]).quantize(ZERO_HOURS),
        )
        for row in rows
    ]


def volunteer_hours_by_person(
    *, organisation: Organisation, year: int
) -> list[tuple[str, int, Decimal]]:
    """(name as the organisation registered it, events attended, hours), most hours first."""
    start, end = year_bounds(year)
    rows = (
        Registration.objects.filter(
            organisation=organisation,
            status=Registration.Status.ATTENDED,
            event__status__in=COUNTED_STATUSES,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .values("name")
        .annotate(
            events=Count("event", distinct=True),
            hours=Coalesce(
                Sum("hours"),
                Value(ZERO_HOURS),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("-hours", "name")
    )
    return [
        (row["name"], row["events"], Decimal(row["hours"]).quantize(ZERO_HOURS)) for row in rows
    ]
