"""Reads for the street hubs, always scoped to the asking hub's own street.

A hub's staff see the organisations domiciled in their street and nothing of
another street's beyond the public pages: every ``*_for_hub`` reader filters by
the hub's street and answers 404 (``Http404``) for anyone else's object.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    AnnualInspection,
    HubRecommendation,
    HubStaff,
    Organisation,
    ServiceField,
    StreetHub,
    User,
)
from .pinyin import search_key


def hub_get_for_user(*, user: User) -> StreetHub | None:
    """The hub ``user`` works for (one person, one hub), or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    staff = HubStaff.objects.select_related("hub", "hub__street").filter(user=user).first()
    return staff.hub if staff else None


def user_is_hub_staff_for_street(*, user: User, street_id: int | None) -> bool:
    """``user`` works for the hub of ``street_id``."""
    if street_id is None or not user.is_authenticated or not user.is_active:
        return False
    return HubStaff.objects.filter(user=user, hub__street_id=street_id).exists()


def hub_staff_list(*, hub: StreetHub) -> QuerySet[User]:
    return User.objects.filter(hub_staff__hub=hub, is_active=True).order_by("email")


# --- Public ---------------------------------------------------------------------


def hub_list_public() -> QuerySet[StreetHub]:
    """The 14 hubs with ``organisation_count`` active members each, by street code."""
    return (
        StreetHub.objects.select_related("street")
        .annotate(
            organisation_count=Count(
                "street__organisations",
                filter=Q(street__organisations__status=Organisation.Status.ACTIVE),
            )
        )
        .order_by("street__code")
    )


def hub_get_public(*, code: str) -> StreetHub:
    """One hub by its street code; 404 otherwise."""
    hub = StreetHub.objects.select_related("street").filter(street__code=code).first()
    if hub is None:
        raise Http404
    return hub


@dataclass(frozen=True)
class CountRow:
    code: str
    label: str
    count: int


def organisation_counts_for_street(*, street_id: int) -> dict[str, list[CountRow]]:
    """Active members of a street by legal form and by service field (two queries)."""
    active = Organisation.objects.active().filter(street_id=street_id)
    labels = dict(Organisation.LegalForm.choices)
    by_form = [
        CountRow(row["legal_form"], str(labels.get(row["legal_form"], row["legal_form"])), row["n"])
        for row in active.values("legal_form").annotate(n=Count("pk")).order_by("-n", "legal_form")
    ]
    fields = (
        ServiceField.objects.annotate(
            n=Count(
                "organisations",
                filter=Q(
                    organisations__street_id=street_id,
                    organisations__status=Organisation.Status.ACTIVE,
                ),
            )
        )
        .filter(n__gt=0)
        .order_by("-n", "position")
    )
    by_field = [CountRow(field.code, field.name, field.n) for field in fields]
    return {"by_form": by_form, "by_field": by_field, "total": sum(row.count for row in by_form)}


# --- The hub's own registry --------------------------------------------------------


def organisation_list_for_hub(
    *, hub: StreetHub, query: str = "", status: str = ""
) -> QuerySet[Organisation]:
    """Organisations domiciled in the hub's street (any status unless filtered), pinyin order."""
    queryset = Organisation.objects.filter(street_id=hub.street_id)
    if status:
        queryset = queryset.filter(status=status)
    query = (query or "").strip()
    if query:
        condition = Q(name__icontains=query) | Q(short_name__icontains=query)
        key = search_key(query)
        if key:
            condition |= Q(pinyin_search__contains=key)
        queryset = queryset.filter(condition)
    return (
        queryset.select_related("street")
        .prefetch_related(
            Prefetch("service_fields", queryset=ServiceField.objects.order_by("position"))
        )
        .in_pinyin_order()
    )


def organisation_get_for_hub(*, hub: StreetHub, slug: str) -> Organisation:
    """One organisation of the hub's street; 404 for another street's."""
    organisation = (
        Organisation.objects.filter(street_id=hub.street_id, slug=slug)
        .select_related("street")
        .prefetch_related(
            Prefetch("service_fields", queryset=ServiceField.objects.order_by("position")),
            Prefetch("annual_inspections", queryset=AnnualInspection.objects.order_by("-year")),
        )
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def application_list_for_hub(*, hub: StreetHub) -> QuerySet[Organisation]:
    """Membership applications from the hub's street waiting for a decision, oldest first."""
    return (
        Organisation.objects.filter(street_id=hub.street_id, status=Organisation.Status.APPLIED)
        .select_related("street", "hub_recommendation", "hub_recommendation__recommended_by")
        .order_by("created_at", "pk")
    )


def application_get_for_hub(*, hub: StreetHub, pk: int) -> Organisation:
    """One pending application of the hub's street; 404 for another street's or a decided one."""
    organisation = application_list_for_hub(hub=hub).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def application_list_with_recommendations() -> QuerySet[Organisation]:
    """Every pending application with its hub's recommendation (if any), for federation staff."""
    return (
        Organisation.objects.filter(status=Organisation.Status.APPLIED)
        .select_related(
            "street", "street__hub", "hub_recommendation", "hub_recommendation__recommended_by"
        )
        .order_by("created_at", "pk")
    )


def recommendation_get(*, organisation: Organisation) -> HubRecommendation | None:
    return (
        HubRecommendation.objects.select_related("hub", "recommended_by")
        .filter(organisation=organisation)
        .first()
    )


# --- Annual inspections of the street ---------------------------------------------------


@dataclass
class InspectionRow:
    organisation: Organisation
    inspection: AnnualInspection | None
    is_late: bool

    @property
    def status_display(self) -> str:
        if self.inspection is None:
            return AnnualInspection.Status.NOT_SUBMITTED.label
        return self.inspection.get_status_display()


def inspection_rows_for_hub(
    *, hub: StreetHub, year: int, today: datetime.date | None = None
) -> list[InspectionRow]:
    """Active members of the street that file an inspection, with their report on ``year``.

    Late: not submitted and one of its deadlines (31 March / 31 May of ``year + 1``,
    ``AnnualInspection.deadlines``) has passed.
    Two queries whatever the number of organisations.
    """
    today = today or timezone.localdate()
    organisations = list(
        Organisation.objects.active()
        .filter(street_id=hub.street_id, legal_form__in=Organisation.INSPECTED_FORMS)
        .filter(Q(established_on__isnull=True) | Q(established_on__year__lte=year))
        .in_pinyin_order()
    )
    inspections = {
        inspection.organisation_id: inspection
        for inspection in AnnualInspection.objects.filter(
            year=year, organisation__in=[organisation.pk for organisation in organisations]
        )
    }
    rows = []
    for organisation in organisations:
        inspection = inspections.get(organisation.pk)
        outstanding = (
            inspection is None or inspection.status == AnnualInspection.Status.NOT_SUBMITTED
        )
        deadlines = AnnualInspection.deadlines(organisation=organisation, year=year)
        past = any(deadline.due_on < today for deadline in deadlines)
        rows.append(InspectionRow(organisation, inspection, outstanding and past))
    return rows
