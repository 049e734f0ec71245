"""Reads for the festival: participants per edition, the running total, honours."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from events.models import Event, Registration
from federation.models import Organisation

from .models import Award, AwardType, Edition, HonourRound, Nomination, WalkInCount


@dataclass
class EditionRow:
    edition: Edition
    attended: int
    walk_ins: int
    recorded: int
    running_total: int = 0

    @property
    def participants(self) -> int:
        """Attended registrations + walk-ins + the recorded figure (past editions)."""
        return self.attended + self.walk_ins + self.recorded


@dataclass
class FestivalFigures:
    edition_count: int
    first_year: int | None
    last_year: int | None
    participants: int


def _edition_event_ids(editions: list[Edition]) -> dict[int, int]:
    """Event id -> edition id, for each edition's festival event and its activities."""
    owner = {edition.event_id: edition.pk for edition in editions if edition.event_id}
    for child_id, parent_id in Event.objects.filter(parent_id__in=list(owner)).values_list(
        "pk", "parent_id"
    ):
        owner[child_id] = owner[parent_id]
    return owner


def edition_rows(*, until_year: int | None = None) -> list[EditionRow]:
    """Every edition (up to ``until_year``) with its participants and the running total.

    Four queries, whatever the number of editions and activities.
    """
    editions = Edition.objects.prefetch_related("partners").order_by("number")
    if until_year is not None:
        editions = editions.filter(year__lte=until_year)
    editions = list(editions)
    owner = _edition_event_ids(editions)
    attended: dict[int, int] = defaultdict(int)
    for event_id, count in (
        Registration.objects.filter(event_id__in=list(owner), status=Registration.Status.ATTENDED)
        .values("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    ):
        attended[owner[event_id]] += count
    walk_ins: dict[int, int] = defaultdict(int)
    for event_id, count in WalkInCount.objects.filter(activity_id__in=list(owner)).values_list(
        "activity_id", "count"
    ):
        walk_ins[owner[event_id]] += count
    rows, total = [], 0
    for edition in editions:
        row = EditionRow(
            edition=edition,
            attended=attended[edition.pk],
            walk_ins=walk_ins[edition.pk],
            recorded=edition.recorded_count,
        )
        total += row.participants
        row.running_total = total
        rows.append(row)
    return rows


def _is_held(edition: Edition, today: datetime.date) -> bool:
    if edition.starts_on:
        return edition.starts_on <= today
    return edition.year < today.year


def festival_figures(
    *, today: datetime.date | None = None, rows: list[EditionRow] | None = None
) -> FestivalFigures:
    """The home page's figures: editions held so far and their participants in all.

    ``rows``: every edition's ``edition_rows()``, when the caller has them already (numbers
    follow the years, so the rows up to this year are a prefix with the same totals).
    """
    today = today or timezone.localdate()
    if rows is None:
        rows = edition_rows(until_year=today.year)
    rows = [row for row in rows if row.edition.year <= today.year and _is_held(row.edition, today)]
    return FestivalFigures(
        edition_count=len(rows),
        first_year=rows[0].edition.year if rows else None,
        last_year=rows[-1].edition.year if rows else None,
        participants=rows[-1].running_total if rows else 0,
    )


def edition_get_current(*, today: datetime.date | None = None) -> Edition | None:
    """This year's edition, else the next one, else the latest."""
    year = (today or timezone.localdate()).year
    editions = Edition.objects.select_related("event")
    return (
        editions.filter(year__gte=year).order_by("year").first()
        or editions.order_by("-year").first()
    )


def activity_list_for_edition(*, edition: Edition) -> list[Event]:
    """The edition's programme: its activities with their walk-ins, by start."""
    if not edition.event_id:
        return []
    activities = list(
        Event.objects.filter(parent_id=edition.event_id)
        .listed()
        .select_related("organisation", "alliance", "walk_in_count")
        .order_by("starts_at", "pk")
    )
    for activity in activities:
        counter = getattr(activity, "walk_in_count", None)
        activity.walk_ins = counter.count if counter else 0
    return activities


def activity_get_for_counting(*, slug: str) -> Event:
    """A festival activity (or the festival itself) whose walk-ins are counted."""
    activity = (
        Event.objects.filter(
            slug=slug, kind__in=[Event.Kind.FESTIVAL, Event.Kind.FESTIVAL_ACTIVITY]
        )
        .select_related("walk_in_count", "parent")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def walk_in_count(*, activity: Event) -> int:
    return (
        WalkInCount.objects.filter(activity=activity).values_list("count", flat=True).first() or 0
    )


# --- Honours ------------------------------------------------------------------------


def award_get_by_number(*, number: str) -> Award | None:
    return Award.objects.select_related("award_type").filter(number=number.strip().upper()).first()


def award_years() -> list[int]:
    return list(Award.objects.order_by("-year").values_list("year", flat=True).distinct())


def award_list_for_roll(*, year: int) -> list[tuple[AwardType, list[Award]]]:
    """The public honour roll of a year: standing awards grouped by type, in number order."""
    awards = (
        Award.objects.filter(year=year, revoked_at__isnull=True)
        .select_related("award_type")
        .order_by("award_type__code", "serial")
    )
    grouped: dict[int, tuple[AwardType, list[Award]]] = {}
    for award in awards:
        grouped.setdefault(award.award_type_id, (award.award_type, []))[1].append(award)
    return list(grouped.values())


def round_list_open() -> QuerySet[HonourRound]:
    return HonourRound.objects.filter(status=HonourRound.Status.OPEN).select_related("award_type")


def round_get_open(*, pk: int) -> HonourRound:
    found = round_list_open().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def nomination_list_for_organisation(*, organisation: Organisation) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(nominated_by_organisation=organisation)
        .select_related("round__award_type", "award")
        .order_by("-created_at", "-pk")
    )


def nomination_list_pending() -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(status=Nomination.Status.PENDING)
        .select_related("round__award_type", "nominee_organisation", "nominated_by_organisation")
        .order_by("round", "created_at", "pk")
    )


def award_list_for_round(*, round_id: int) -> QuerySet[Award]:
    return Award.objects.filter(round_id=round_id).order_by("serial")
