"""Reads for the catalogue: public lists, an organisation's own, the review queue, the handbook."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from federation.models import Organisation, ServiceField, Street
from federation.pinyin import search_key

from .models import ServiceOffering, ServiceOfferingPhoto

Status = ServiceOffering.Status


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    field: str = ""  # service field code
    street: str = ""  # street code


def _search(queryset: QuerySet[ServiceOffering], query: str) -> QuerySet[ServiceOffering]:
    """Chinese substring of title, summary or provider; or the title's pinyin (full or initials).

    The provider's pinyin is left out: most names start 上海市静安区 (``shsjaq``), so
    short initials such as ``sj`` would match every offering.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    condition = (
        Q(title__icontains=query)
        | Q(summary__icontains=query)
        | Q(organisation__name__icontains=query)
        | Q(organisation__short_name__icontains=query)
    )
    key = search_key(query)
    if key:
        condition |= Q(pinyin_search__contains=key)
    return queryset.filter(condition)


def offering_list_public(*, filters: CatalogueFilters | None = None) -> QuerySet[ServiceOffering]:
    """Published offerings of members, filtered and searched, by field then title."""
    filters = filters or CatalogueFilters()
    queryset = ServiceOffering.objects.public()
    if filters.field:
        queryset = queryset.filter(field__code=filters.field)
    if filters.street:
        queryset = queryset.filter(organisation__street__code=filters.street)
    return (
        _search(queryset, filters.query)
        .select_related("field", "organisation", "organisation__street")
        .prefetch_related(Prefetch("photos", queryset=ServiceOfferingPhoto.objects.order_by("pk")))
        .order_by("field__position", "title", "pk")
    )


def service_field_list_with_offering_counts() -> QuerySet[ServiceField]:
    """The twelve fields, each with ``offering_count`` public offerings."""
    public = Q(
        service_offerings__status=Status.PUBLISHED,
        service_offerings__organisation__status=Organisation.Status.ACTIVE,
    )
    return ServiceField.objects.annotate(
        offering_count=Count("service_offerings", filter=public)
    ).order_by("position", "code")


def street_list() -> QuerySet[Street]:
    return Street.objects.order_by("code")


def offering_get_public(*, pk: int) -> ServiceOffering:
    """A published offering of a member, with its provider and photos; 404 otherwise."""
    offering = (
        ServiceOffering.objects.public()
        .select_related("field", "organisation", "organisation__street")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if offering is None:
        raise Http404
    return offering


def offering_list_for_profile(*, organisation: Organisation) -> list[ServiceOffering]:
    """An organisation's published offerings, for its public profile."""
    return list(
        ServiceOffering.objects.published()
        .filter(organisation=organisation)
        .select_related("field")
        .order_by("field__position", "title")
    )


def offering_list_other_by_provider(*, offering: ServiceOffering, limit: int = 6):
    """The provider's other published offerings."""
    return list(
        ServiceOffering.objects.published()
        .filter(organisation_id=offering.organisation_id)
        .exclude(pk=offering.pk)
        .select_related("field")
        .order_by("field__position", "title")[:limit]
    )


# --- An organisation's own -----------------------------------------------------------


def offering_list_for_organisation(*, organisation: Organisation) -> QuerySet[ServiceOffering]:
    return (
        ServiceOffering.objects.filter(organisation=organisation)
        .select_related("field")
        .annotate(photo_count=Count("photos"))
        .order_by("field__position", "title", "pk")
    )


def offering_get_for_organisation(*, organisation: Organisation, pk: int) -> ServiceOffering:
    """One of ``organisation``'s offerings; 404 for anyone else's."""
    offering = (
        ServiceOffering.objects.filter(organisation=organisation, pk=pk)
        .select_related("field", "organisation")
        .prefetch_related("photos")
        .first()
    )
    if offering is None:
        raise Http404
    return offering


def photo_get_for_organisation(*, organisation: Organisation, pk: int) -> ServiceOfferingPhoto:
    photo = (
        ServiceOfferingPhoto.objects.filter(offering__organisation=organisation, pk=pk)
        .select_related("offering")
        .first()
    )
    if photo is None:
        raise Http404
    return photo


# --- Staff -----------------------------------------------------------------------------


def offering_list_for_review(*, status: str = Status.SUBMITTED) -> QuerySet[ServiceOffering]:
    queryset = ServiceOffering.objects.select_related("field", "organisation")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at", "pk")


def offering_get_for_review(*, pk: int) -> ServiceOffering:
    offering = (
        ServiceOffering.objects.select_related(
            "field", "organisation", "organisation__street", "reviewed_by"
        )
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if offering is None:
        raise Http404
    return offering


def offering_list_for_handbook() -> list[ServiceOffering]:
    """The public catalogue in handbook order: by field, then provider, then title."""
    return list(
        ServiceOffering.objects.public()
        .select_related("field", "organisation")
        .order_by("field__position", "organisation__name_pinyin", "title", "pk")
    )
