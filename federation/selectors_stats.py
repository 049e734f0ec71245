"""Counts for the staff dashboard and the annual report: one grouped query each.

Every function takes an optional ``street`` (a street hub sees only its own) and
returns small lists of ``(key, label, count)`` or dicts, never model rows.
"""

from django.db.models import Count, Q

from .models import AnnualInspection, Organisation, Street


def _organisations(street: Street | None):
    queryset = Organisation.objects.all()
    if street is not None:
        queryset = queryset.filter(street=street)
    return queryset


def organisation_count_by_status(*, street: Street | None = None) -> list[tuple[str, str, int]]:
    """(status, label, organisations) for every status, in the lifecycle's order."""
    counts = dict(_organisations(street).values_list("status").annotate(n=Count("pk")).order_by())
    return [
        (value, str(label), counts.get(value, 0)) for value, label in Organisation.Status.choices
    ]


def organisation_count_by_legal_form(*, street: Street | None = None) -> list[tuple[str, str, int]]:
    """Active members per legal form (every form, zeros included)."""
    counts = dict(
        _organisations(street)
        .filter(status=Organisation.Status.ACTIVE)
        .values_list("legal_form")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        (value, str(label), counts.get(value, 0)) for value, label in Organisation.LegalForm.choices
    ]


def organisation_count_by_street(*, street: Street | None = None) -> list[tuple[Street, int]]:
    """Active members per street (all fourteen, zeros included; one query)."""
    streets = Street.objects.order_by("code").annotate(
        n=Count("organisations", filter=Q(organisations__status=Organisation.Status.ACTIVE))
    )
    if street is not None:
        streets = streets.filter(pk=street.pk)
    return [(each, each.n) for each in streets]


def inspection_count_by_street(
    *, year: int, street: Street | None = None
) -> list[tuple[Street, dict[str, int]]]:
    """Per street, the year's annual inspections by status, with the members still owing.

    ``submitted`` counts every report handed in (submitted or with a result);
    ``outstanding`` the active members with no report handed in for ``year``.
    """
    handed_in = [AnnualInspection.Status.SUBMITTED, *AnnualInspection.RESULTS]
    handed_in.remove(AnnualInspection.Status.NOT_PARTICIPATED)
    on_year = Q(organisations__annual_inspections__year=year)
    active = Q(organisations__status=Organisation.Status.ACTIVE)
    streets = Street.objects.order_by("code").annotate(
        members=Count("organisations", filter=active, distinct=True),
        submitted=Count(
            "organisations__annual_inspections",
            filter=active & on_year & Q(organisations__annual_inspections__status__in=handed_in),
            distinct=True,
        ),
        qualified=Count(
            "organisations__annual_inspections",
            filter=active
            & on_year
            & Q(organisations__annual_inspections__status=AnnualInspection.Status.QUALIFIED),
            distinct=True,
        ),
    )
    if street is not None:
        streets = streets.filter(pk=street.pk)
    return [
        (
            each,
            {
                "members": each.members,
                "submitted": each.submitted,
                "qualified": each.qualified,
                "outstanding": max(each.members - each.submitted, 0),
            },
        )
        for each in streets
    ]


def inspection_status_for_organisation(*, organisation: Organisation, year: int) -> str:
    """The label of the organisation's inspection for ``year`` (not submitted if none)."""
    status = (
        AnnualInspection.objects.filter(organisation=organisation, year=year)
        .values_list("status", flat=True)
        .first()
    )
    return str(AnnualInspection.Status(status or AnnualInspection.Status.NOT_SUBMITTED).label)
