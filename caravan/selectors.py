"""Reads for the caravan: the public page, the staff matrix, totals, an organisation's booths.

Every list makes a constant number of queries whatever the number of caravans,
slots and hosts (prefetches, one aggregate per figure).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone

from events.models import Event, Participant, Registration
from federation.models import Organisation
from funds.models import JournalEntry

from .models import (
    BoothApplication,
    BoothSlot,
    Caravan,
    Qualification,
    Series,
    ServiceKind,
    ServiceRecord,
    Shift,
    VolunteerPost,
)

# A qualification ending this soon after the booth day is flagged on the matrix.
EXPIRY_WARNING = datetime.timedelta(days=60)
FIRST_YEAR = 2009


def _month_start(day: datetime.date, add: int = 0) -> datetime.date:
    month = day.month - 1 + add
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _live_applications(*, with_people: bool = True) -> Prefetch:
    applications = BoothApplication.objects.filter(
        status__in=BoothApplication.LIVE_STATUSES
    ).select_related("organisation")
    if with_people:
        people = Participant.objects.prefetch_related(
            Prefetch("qualifications", queryset=Qualification.objects.order_by("-expires_on"))
        )
        applications = applications.prefetch_related(Prefetch("people", queryset=people))
    return Prefetch("applications", queryset=applications, to_attr="live_applications")


def _slots(*, with_people: bool = True) -> Prefetch:
    """Booth slots with their live applications; ``with_people`` adds the people and their
    qualifications (the matrix checks them; the public page shows only the host)."""
    return Prefetch(
        "slots",
        queryset=BoothSlot.objects.select_related("service_kind")
        .prefetch_related(_live_applications(with_people=with_people))
        .order_by("service_kind__position", "position"),
    )


def _shift_events() -> Prefetch:
    events = Event.objects.annotate(
        taken_count=Count(
            "registrations", filter=Q(registrations__status__in=Registration.SEAT_STATUSES)
        )
    )
    posts = VolunteerPost.objects.prefetch_related(
        Prefetch(
            "shifts",
            queryset=Shift.objects.prefetch_related(Prefetch("event", queryset=events)),
        )
    )
    return Prefetch("event__volunteer_posts", queryset=posts)


def host_of(slot: BoothSlot) -> BoothApplication | None:
    live = getattr(slot, "live_applications", None)
    if live is None:
        live = list(slot.applications.filter(status__in=BoothApplication.LIVE_STATUSES))
    return live[0] if live else None


def qualification_state(slot: BoothSlot, application: BoothApplication | None) -> str:
    """ "" (none needed or fine), "expiring" (ends soon after the day), "invalid"."""
    required = slot.service_kind.qualification
    if not required or application is None:
        return ""
    day = slot.caravan.held_on
    ends = [
        q.expires_on
        for person in application.people.all()
        for q in person.qualifications.all()
        if q.kind == required
    ]
    best = max(ends, default=None)
    if best is None or best < day:
        return "invalid"
    if best < day + EXPIRY_WARNING:
        return "expiring"
    return ""


# --- Public page --------------------------------------------------------------------


@dataclass
class Totals:
    caravan_count: int
    people_served: int


def people_served_in_street(*, street_id: int, year: int) -> int:
    """People served at the caravans held in a street in ``year`` (a street hub figure)."""
    return ServiceRecord.objects.filter(
        held_on__year=year, application__slot__caravan__event__street_id=street_id
    ).aggregate(people=Coalesce(Sum("people_served"), 0))["people"]


def totals_since_start() -> Totals:
    """Since 2009: caravan days with records, and people served, from the records."""
    figures = ServiceRecord.objects.aggregate(
        days=Count("held_on", distinct=True), people=Coalesce(Sum("people_served"), 0)
    )
    return Totals(figures["days"], figures["people"])


def caravan_list_public(*, today: datetime.date | None = None) -> list[Caravan]:
    """This month's and next month's caravans (never drafts), with booths and posts."""
    today = today or timezone.localdate()
    start, end = _month_start(today), _month_start(today, 2)
    caravans = list(
        Caravan.objects.filter(held_on__gte=start, held_on__lt=end)
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "event__street")
        .prefetch_related(_slots(with_people=False), _shift_events())
        .order_by("held_on", "pk")
    )
    for caravan in caravans:
        _decorate(caravan)
    return caravans


def _decorate(caravan: Caravan) -> None:
    """Hosts per slot, open slot counts, posts still needing volunteers (no queries)."""
    caravan.booths = []
    caravan.open_slot_count = 0
    for slot in caravan.slots.all():
        slot.caravan = caravan
        host = host_of(slot)
        slot.host = host if host and host.status == BoothApplication.Status.CONFIRMED else None
        if host is None:
            caravan.open_slot_count += 1
        caravan.booths.append(slot)
    caravan.open_shifts = []
    for post in caravan.event.volunteer_posts.all():
        for shift in post.shifts.all():
            event = shift.event
            left = (event.capacity or 0) - event.taken_count
            if event.status == Event.Status.PUBLISHED and left > 0:
                shift.places_left = left
                shift.post_title = post.title
                caravan.open_shifts.append(shift)


def caravan_get_public(*, pk: int) -> Caravan:
    caravan = (
        Caravan.objects.exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "event__street")
        .prefetch_related(_slots(), _shift_events())
        .filter(pk=pk)
        .first()
    )
    if caravan is None:
        raise Http404
    _decorate(caravan)
    return caravan


# --- Staff matrix ---------------------------------------------------------------------


@dataclass
class MatrixRow:
    caravan: Caravan
    cells: list[list[BoothSlot]]


@dataclass
class Matrix:
    year: int
    kinds: list[ServiceKind]
    rows: list[MatrixRow]
    fairness: list[tuple[Organisation, int]] = field(default_factory=list)


def booth_matrix(*, year: int) -> Matrix:
    """Months × service kinds for ``year``: each slot's host, open and qualification flags."""
    caravans = list(
        Caravan.objects.filter(held_on__year=year)
        .select_related("event")
        .prefetch_related(_slots())
        .order_by("held_on", "pk")
    )
    kinds = list(
        ServiceKind.objects.filter(Q(is_active=True) | Q(slots__caravan__in=caravans))
        .distinct()
        .order_by("position", "code")
    )
    rows = []
    for caravan in caravans:
        by_kind: dict[int, list[BoothSlot]] = defaultdict(list)
        for slot in caravan.slots.all():
            slot.caravan = caravan
            slot.host = host_of(slot)
            slot.qualification_state = qualification_state(slot, slot.host)
            by_kind[slot.service_kind_id].append(slot)
        rows.append(MatrixRow(caravan, [by_kind.get(kind.pk, []) for kind in kinds]))
    return Matrix(year, kinds, rows, booth_counts_by_organisation(year=year))


def booth_counts_by_organisation(*, year: int) -> list[tuple[Organisation, int]]:
    """Each organisation's confirmed booths in ``year`` (rotation fairness), most first."""
    organisations = (
        Organisation.objects.filter(
            booth_applications__status=BoothApplication.Status.CONFIRMED,
            booth_applications__slot__caravan__held_on__year=year,
        )
        .annotate(booth_count=Count("booth_applications"))
        .order_by("-booth_count", "name")
    )
    return [(organisation, organisation.booth_count) for organisation in organisations]


def caravan_list_for_staff() -> QuerySet[Caravan]:
    return (
        Caravan.objects.select_related("event", "series")
        .annotate(
            slot_count=Count("slots", distinct=True),
            hosted_count=Count(
                "slots",
                filter=Q(slots__applications__status__in=BoothApplication.LIVE_STATUSES),
                distinct=True,
            ),
        )
        .order_by("-held_on", "pk")
    )


def series_list() -> QuerySet[Series]:
    return Series.objects.select_related("street").order_by("title")


def application_list_pending() -> QuerySet[BoothApplication]:
    return (
        BoothApplication.objects.filter(status=BoothApplication.Status.PENDING)
        .select_related("slot__caravan__event", "slot__service_kind", "organisation")
        .prefetch_related("people")
        .order_by("slot__caravan__held_on", "pk")
    )


# --- Totals ---------------------------------------------------------------------------


@dataclass
class RecordTotals:
    year: int
    by_kind: dict[str, int]
    by_month: dict[int, int]
    by_year: dict[int, int]
    year_total: int
    all_time_people: int
    kinds: list[ServiceKind] = field(default_factory=list)


def record_totals(*, year: int) -> RecordTotals:
    """People served in ``year`` by service kind and by month, and every year since 2009."""
    of_year = ServiceRecord.objects.filter(held_on__year=year)
    by_kind = {
        row["service_kind__code"]: row["people"]
        for row in of_year.values("service_kind__code").annotate(people=Sum("people_served"))
    }
    by_month = {month: 0 for month in range(1, 13)}
    for row in (
        of_year.annotate(month=ExtractMonth("held_on"))
        .values("month")
        .annotate(people=Sum("people_served"))
    ):
        by_month[row["month"]] = row["people"]
    by_year = {
        row["year"]: row["people"]
        for row in ServiceRecord.objects.annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(people=Sum("people_served"))
        .order_by("year")
    }
    return RecordTotals(
        year=year,
        by_kind=by_kind,
        by_month=by_month,
        by_year=by_year,
        year_total=sum(by_kind.values()),
        all_time_people=sum(by_year.values()),
        kinds=list(ServiceKind.objects.order_by("position", "code")),
    )


def sale_record_list(*, year: int) -> QuerySet[ServiceRecord]:
    """Sale records of ``year`` with their posting state (``posted_number``)."""
    posted = JournalEntry.objects.filter(submission_key=OuterRef("posting_key")).values("number")
    return (
        ServiceRecord.objects.filter(held_on__year=year, service_kind__is_sale=True)
        .select_related("service_kind", "organisation")
        .annotate(posted_number=Subquery(posted[:1]))
        .order_by("-held_on", "pk")
    )


# --- An organisation's booths ---------------------------------------------------------


def application_list_for_organisation(*, organisation: Organisation) -> QuerySet:
    return (
        BoothApplication.objects.filter(organisation=organisation)
        .select_related("slot__caravan__event", "slot__service_kind", "record")
        .prefetch_related("people")
        .order_by("-slot__caravan__held_on", "-pk")
    )


def application_get_for_organisation(*, organisation: Organisation, pk: int) -> BoothApplication:
    """One of the organisation's own applications; another's is a 404."""
    application = application_list_for_organisation(organisation=organisation).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def open_slot_list(*, now: datetime.datetime | None = None) -> QuerySet[BoothSlot]:
    """Slots of published, upcoming caravans nobody hosts yet."""
    now = now or timezone.now()
    return (
        BoothSlot.objects.filter(
            caravan__event__status=Event.Status.PUBLISHED, caravan__event__starts_at__gt=now
        )
        .exclude(applications__status__in=BoothApplication.LIVE_STATUSES)
        .select_related("caravan__event", "service_kind")
        .order_by("caravan__held_on", "service_kind__position", "position")
    )


def open_slot_get(*, pk: int) -> BoothSlot:
    slot = open_slot_list().filter(pk=pk).first()
    if slot is None:
        raise Http404
    return slot


def participant_list_with_qualifications(*, organisation: Organisation) -> list[Participant]:
    return list(
        Participant.objects.filter(organisation=organisation, is_active=True)
        .prefetch_related("qualifications")
        .order_by("name", "pk")
    )


# --- A street hub's booths ------------------------------------------------------------


def application_list_for_street(*, street_id: int) -> QuerySet[BoothApplication]:
    """Confirmed booths at the caravans held in one street, newest day first (a hub's list)."""
    return (
        BoothApplication.objects.filter(
            status=BoothApplication.Status.CONFIRMED,
            slot__caravan__event__street_id=street_id,
        )
        .select_related("slot__caravan__event", "slot__service_kind", "organisation", "record")
        .order_by("-slot__caravan__held_on", "slot__caravan_id", "slot__position", "pk")
    )


def application_get_for_street(*, street_id: int, pk: int) -> BoothApplication:
    """A confirmed booth at a caravan held in the street; another street's is a 404."""
    application = application_list_for_street(street_id=street_id).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application
