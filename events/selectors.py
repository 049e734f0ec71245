"""Reads for event pages, permission-scoped and prefetched (no N+1)."""

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, TextChoices, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from federation.models import Organisation, User
from federation.rules import user_is_federation_staff

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
    return user_is_federation_staff(user) or user_is_alliance_secretary(
        user=user, alliance_id=event.alliance_id
    )


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


def event_list_for_organiser(*, organisation: Organisation, limit: int = 5) -> list[Event]:
    return list(
        Event.objects.published()
        .upcoming()
        .filter(organisation=organisation)
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
    if not user_is_federation_staff(user):
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


# --- Alliance activities and the quarterly plan (季季·益联盟) ----------------------------

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Every alliance holds one of each, every quarter (DOMAIN.md §3); order as reminders list them.
QUARTER_KINDS = (Event.Kind.TEAM_BUILDING, Event.Kind.TRAINING)
# Drafts and cancelled events are neither held nor scheduled.
ACTIVITY_STATUSES = (Event.Status.PUBLISHED, Event.Status.COMPLETED)


class PlanState(TextChoices):
    HELD = "held", _("held")
    SCHEDULED = "scheduled", _("scheduled")
    MISSING = "missing", _("missing")


def this_year() -> int:
    return timezone.localdate(timezone=SHANGHAI).year


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware Shanghai start of ``year`` and of the next year."""
    return (
        datetime.datetime(year, 1, 1, tzinfo=SHANGHAI),
        datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI),
    )


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware Shanghai start of the quarter and of the next one."""
    start = datetime.datetime(year, 3 * quarter - 2, 1, tzinfo=SHANGHAI)
    end = (
        datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
        if quarter == 4
        else datetime.datetime(year, 3 * quarter + 1, 1, tzinfo=SHANGHAI)
    )
    return start, end


def quarter_of(moment: datetime.datetime) -> int:
    """The calendar quarter (1–4) of an aware moment, in Asia/Shanghai."""
    return (moment.astimezone(SHANGHAI).month - 1) // 3 + 1


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
        by_cell.setdefault((event.alliance_id, quarter_of(event.starts_at)), []).append(event)
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
