"""Figures for the staff dashboard, the annual report and an organisation's evidence pack.

A fixed number of grouped queries per function, whatever the number of caravans
and records. Caravan days are dates (``held_on``), so their months need no time
zone. People served come from the service records (imported history included);
with a street chosen, only records of booths at that street's caravans count
(imported history carries no street).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import get_language

from events.models import Event
from federation.models import Organisation, Street

from .models import BoothApplication, Caravan, ServiceKind, ServiceRecord

COUNTED_STATUSES = (Event.Status.PUBLISHED, Event.Status.COMPLETED)


@dataclass
class CaravanMonths:
    """Caravan days per month and people served per (service kind, month) of a year."""

    kinds: list[ServiceKind]  # the kinds with people served this year, in their order
    caravans: list[int]  # twelve, January first
    people: dict[tuple[int, int], int]  # (service kind id, month) -> people served

    def people_in_month(self, month: int) -> int:
        return sum(n for (_kind, m), n in self.people.items() if m == month)

    def people_of_kind(self, kind_id: int) -> int:
        return sum(n for (k, _month), n in self.people.items() if k == kind_id)

    @property
    def people_total(self) -> int:
        return sum(self.people.values())


def caravan_figures_by_month(*, year: int, street: Street | None = None) -> CaravanMonths:
    """Three queries: caravan days by month, people served by kind and month, the kinds."""
    caravans = Caravan.objects.filter(held_on__year=year, event__status__in=COUNTED_STATUSES)
    records = ServiceRecord.objects.filter(held_on__year=year)
    if street is not None:
        caravans = caravans.filter(event__street=street)
        records = records.filter(application__slot__caravan__event__street=street)
    by_month = dict(
        caravans.annotate(month=ExtractMonth("held_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "n")
    )
    people = {
        (row["service_kind"], row["month"]): row["n"]
        for row in records.annotate(month=ExtractMonth("held_on"))
        .values("service_kind", "month")
        .annotate(n=Sum("people_served"))
        .order_by()
    }
    used = {kind_id for kind_id, _month in people}
    kinds = [kind for kind in ServiceKind.objects.order_by("position", "code") if kind.pk in used]
    return CaravanMonths(
        kinds=kinds,
        caravans=[by_month.get(month, 0) for month in range(1, 13)],
        people=people,
    )


# --- An organisation's evidence pack ------------------------------------------------------


@dataclass
class HostedBooth:
    held_on: datetime.date
    service: str
    people_served: int | None  # None: no record entered yet
    imported: bool = False


def _kind_name(row: dict, prefix: str) -> str:
    chinese = (get_language() or "zh").startswith("zh")
    return row[f"{prefix}name_zh"] if chinese else row[f"{prefix}name_en"]


def booth_list_hosted_by_organisation(
    *, organisation: Organisation, year: int
) -> list[HostedBooth]:
    """Confirmed booths at the year's caravans, then imported records naming it; by date.

    Two queries.
    """
    kind = "slot__service_kind__"
    booths = [
        HostedBooth(row["slot__caravan__held_on"], _kind_name(row, kind), row["served"])
        for row in BoothApplication.objects.filter(
            organisation=organisation,
            status=BoothApplication.Status.CONFIRMED,
            slot__caravan__held_on__year=year,
            slot__caravan__event__status__in=COUNTED_STATUSES,
        ).values(
            "slot__caravan__held_on",
            f"{kind}name_zh",
            f"{kind}name_en",
            served=F("record__people_served"),
        )
    ]
    booths += [
        HostedBooth(row["held_on"], _kind_name(row, "service_kind__"), row["people_served"], True)
        for row in ServiceRecord.objects.filter(
            organisation=organisation, application__isnull=True, held_on__year=year
        ).values("held_on", "service_kind__name_zh", "service_kind__name_en", "people_served")
    ]
    return sorted(booths, key=lambda booth: (booth.held_on, booth.service))
