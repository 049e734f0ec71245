"""Alliance activities and the quarterly plan (季季·益联盟)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from core.timezone import (
    local_date,
    quarter_bounds,
    quarter_of,
    year_bounds,
)

from ..models import Event

# --- Alliance activities and the quarterly plan (季季·益联盟) ----------------------------

# Every alliance holds one of each, every quarter (DOMAIN.md §3); order as reminders list them.
QUARTER_KINDS = (Event.Kind.TEAM_BUILDING, Event.Kind.TRAINING)
# Drafts and cancelled events are neither held nor scheduled.
ACTIVITY_STATUSES = (Event.Status.PUBLISHED, Event.Status.COMPLETED)


class PlanState(TextChoices):
    HELD = "held", _("held")
    SCHEDULED = "scheduled", _("scheduled")
    MISSING = "missing", _("missing")


def activity_is_held(event: Event, *, now: datetime.datetime) -> bool:
    """Completed, or published and already over (else it is still scheduled)."""
    return event.status == Event.Status.COMPLETED or event.ends_at < now


def _alliance_activities(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Event]:
    """Published or completed alliance events starting in ``[start, end)``."""
    return Event.objects.filter(
        alliance__isnull=False,
        status__in=ACTIVITY_STATUSES,
        starts_at__gte=start,
        starts_at__lt=end,
    )


def _quarter_events(start, end) -> QuerySet[Event]:
    return (
        _alliance_activities(start, end)
        .filter(kind__in=QUARTER_KINDS)
        .only("pk", "slug", "title", "kind", "status", "starts_at", "ends_at", "alliance_id")
        .order_by("starts_at", "pk")
    )


@dataclass
class QuarterPlanCell:
    """One alliance's quarter: the state of each kind, and the events behind it."""

    quarter: int
    states: dict[str, str]  # kind -> PlanState
    events: list[Event] = field(default_factory=list)

    @property
    def team_building(self) -> str:
        return self.states[Event.Kind.TEAM_BUILDING]

    @property
    def training(self) -> str:
        return self.states[Event.Kind.TRAINING]

    @property
    def missing_kinds(self) -> list[str]:
        return [kind for kind in QUARTER_KINDS if self.states[kind] == PlanState.MISSING]

    @property
    def is_missing(self) -> bool:
        return bool(self.missing_kinds)


def _quarter_cell(quarter: int, events: list[Event], *, now: datetime.datetime) -> QuarterPlanCell:
    """The one definition of held / scheduled / missing, for a quarter's events of one alliance."""
    states = {}
    for kind in QUARTER_KINDS:
        of_kind = [event for event in events if event.kind == kind]
        if any(activity_is_held(event, now=now) for event in of_kind):
            states[kind] = PlanState.HELD
        elif of_kind:
            states[kind] = PlanState.SCHEDULED
        else:
            states[kind] = PlanState.MISSING
    return QuarterPlanCell(quarter=quarter, states=states, events=events)


@dataclass
class QuarterPlanRow:
    alliance: Alliance
    cells: list[QuarterPlanCell]  # Q1..Q4

    @property
    def missing_count(self) -> int:
        return sum(len(cell.missing_kinds) for cell in self.cells)


def alliance_quarter_plan(
    *,
    year: int,
    alliance: Alliance | None = None,
    now: datetime.datetime | None = None,
) -> list[QuarterPlanRow]:
    """Alliance × quarter of ``year``: team building and training held, scheduled or missing.

    All seven alliances (or just ``alliance``); two queries whatever the number of events.
    An event belongs to the quarter in which it starts, in Asia/Shanghai.
    """
    now = now or timezone.now()
    alliances = [alliance] if alliance is not None else list(Alliance.objects.all())
    events = _quarter_events(*year_bounds(year))
    if alliance is not None:
        events = events.filter(alliance=alliance)
    by_cell: dict[tuple[int, int], list[Event]] = {}
    for event in events:
        by_cell.setdefault((event.alliance_id, quarter_of(local_date(event.starts_at))), []).append(
            event
        )
    return [
        QuarterPlanRow(
            alliance=each,
            cells=[
                _quarter_cell(quarter, by_cell.get((each.pk, quarter), []), now=now)
                for quarter in (1, 2, 3, 4)
            ],
        )
        for each in alliances
    ]


def alliance_quarter_missing_kinds(*, alliance_id: int, year: int, quarter: int) -> list[str]:
    """The kinds neither held nor scheduled by the alliance in that quarter (for reminders)."""
    events = list(_quarter_events(*quarter_bounds(year, quarter)).filter(alliance_id=alliance_id))
    return _quarter_cell(quarter, events, now=timezone.now()).missing_kinds
