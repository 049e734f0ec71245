"""Reads for the alliances, scoped to what the asking user may see, prefetched."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from federation.models import Organisation, Street, User
from federation.rules import user_is_federation_staff

from .models import Alliance, AllianceMembership, AllianceMembershipChange

Status = AllianceMembership.Status

_PUBLIC_MEMBER = Q(
    memberships__status=Status.ACTIVE,
    memberships__organisation__status=Organisation.Status.ACTIVE,
)


def alliance_list_public() -> QuerySet[Alliance]:
    """The seven alliances in order, each with ``member_count`` (active members only)."""
    return Alliance.objects.select_related("lead_organisation").annotate(
        member_count=Count("memberships", filter=_PUBLIC_MEMBER, distinct=True)
    )


def alliance_get_public(*, code: str) -> Alliance | None:
    """One alliance with its lead organisation and ``member_count``, or None."""
    return alliance_list_public().filter(code=code).first()


def organisation_list_for_alliance_public(*, alliance: Alliance) -> QuerySet[Organisation]:
    """The alliance's active members that are active federation members, by name."""
    return (
        Organisation.objects.active()
        .filter(
            alliance_memberships__alliance=alliance,
            alliance_memberships__status=Status.ACTIVE,
        )
        .select_related("street")
        .order_by("name")  # unique: a stable page order, read from its index
        .distinct()
    )


def alliance_list_managed_by(*, user: User) -> QuerySet[Alliance]:
    """Alliances ``user`` manages: all for staff, their own for a secretary, else none."""
    if not user.is_authenticated or not user.is_active:
        return Alliance.objects.none()
    alliances = Alliance.objects.select_related("lead_organisation", "secretary").annotate(
        member_count=Count("memberships", filter=Q(memberships__status=Status.ACTIVE)),
        pending_count=Count("memberships", filter=Q(memberships__status=Status.PENDING)),
    )
    if user_is_federation_staff(user):
        return alliances
    return alliances.filter(secretary=user)


def alliance_get_managed(*, user: User, code: str) -> Alliance | None:
    """The alliance ``code`` when ``user`` may manage it, else None (the view answers 404)."""
    return alliance_list_managed_by(user=user).filter(code=code).first()


def _membership_base() -> QuerySet[AllianceMembership]:
    return AllianceMembership.objects.select_related(
        "organisation", "organisation__street", "alliance", "applied_by", "decided_by"
    ).prefetch_related(
        Prefetch(
            "changes",
            queryset=AllianceMembershipChange.objects.select_related("changed_by").order_by(
                "changed_at", "pk"
            ),
        )
    )


def alliance_membership_list_for_alliance(
    *, alliance: Alliance, statuses: tuple[str, ...] | None = None
) -> QuerySet[AllianceMembership]:
    """The alliance's memberships (optionally of some statuses), newest first."""
    memberships = _membership_base().filter(alliance=alliance)
    if statuses:
        memberships = memberships.filter(status__in=statuses)
    return memberships.order_by("-created_at", "-pk")


def alliance_membership_get_managed(
    *, user: User, alliance: Alliance, pk: int
) -> AllianceMembership | None:
    """One membership of ``alliance`` when ``user`` manages that alliance, else None."""
    if not alliance_list_managed_by(user=user).filter(pk=alliance.pk).exists():
        return None
    return _membership_base().filter(alliance=alliance, pk=pk).first()


def alliance_membership_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[AllianceMembership]:
    """Every membership and application of ``organisation``, newest first."""
    return _membership_base().filter(organisation=organisation).order_by("-created_at", "-pk")


def alliance_membership_get_for_organisation(
    *, organisation: Organisation, pk: int
) -> AllianceMembership | None:
    """One of ``organisation``'s memberships, or None (another organisation's is a 404)."""
    return _membership_base().filter(organisation=organisation, pk=pk).first()


# --- Cross-alliance matrix (staff) ------------------------------------------------


@dataclass(frozen=True)
class MatrixFilters:
    q: str = ""
    street: Street | None = None
    alliance: Alliance | None = None
    organisation_status: str = ""
    only_members: bool = False


@dataclass
class MatrixRow:
    organisation: Organisation
    cells: list[str]  # one membership status ("" for none) per alliance, in alliance order

    @property
    def active_count(self) -> int:
        return sum(1 for cell in self.cells if cell == Status.ACTIVE)


def alliance_matrix_organisations(*, user: User, filters: MatrixFilters) -> QuerySet[Organisation]:
    """The matrix's organisations for staff, filtered, by name (none for others)."""
    if not user_is_federation_staff(user):
        return Organisation.objects.none()
    # The name is unique: a stable page order, read from its index.
    organisations = Organisation.objects.select_related("street").order_by("name")
    if filters.q:
        organisations = organisations.filter(
            Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q)
        )
    if filters.street is not None:
        organisations = organisations.filter(street=filters.street)
    if filters.organisation_status:
        organisations = organisations.filter(status=filters.organisation_status)
    if filters.alliance is not None:
        organisations = organisations.filter(
            alliance_memberships__alliance=filters.alliance,
            alliance_memberships__status__in=AllianceMembership.LIVE_STATUSES,
        )
    if filters.only_members:
        organisations = organisations.filter(
            alliance_memberships__status=Status.ACTIVE,
        )
    return organisations.distinct()


def alliance_matrix_columns() -> list[Alliance]:
    return list(Alliance.objects.order_by("position", "code"))


def alliance_matrix_rows(
    *, alliances: list[Alliance], organisations: Iterable[Organisation]
) -> list[MatrixRow]:
    """One row per organisation (a page of them): its live membership status per alliance.
    One query for the memberships, whatever the number of organisations."""
    organisations = list(organisations)
    prefetch_related_objects(
        organisations,
        Prefetch(
            "alliance_memberships",
            queryset=AllianceMembership.objects.live().only(
                "pk", "organisation_id", "alliance_id", "status"
            ),
            to_attr="live_memberships",
        ),
    )
    column = {alliance.pk: index for index, alliance in enumerate(alliances)}
    rows = []
    for organisation in organisations:
        cells = [""] * len(alliances)
        for membership in organisation.live_memberships:
            cells[column[membership.alliance_id]] = membership.status
        rows.append(MatrixRow(organisation=organisation, cells=cells))
    return rows


def alliance_matrix(
    *, user: User, filters: MatrixFilters
) -> tuple[list[Alliance], list[MatrixRow]]:
    """Organisations × alliances for staff, every row (the export); the page shows them
    a page at a time with ``alliance_matrix_organisations`` and ``alliance_matrix_rows``.

    Non-staff get nothing. Three queries whatever the size.
    """
    if not user_is_federation_staff(user):
        return [], []
    alliances = alliance_matrix_columns()
    organisations = alliance_matrix_organisations(user=user, filters=filters)
    return alliances, alliance_matrix_rows(alliances=alliances, organisations=organisations)


@dataclass
class OrganisationAllianceStatus:
    alliance: Alliance
    membership: AllianceMembership | None  # the live (pending or active) one, if any


def alliance_list_for_organisation(
    *, organisation: Organisation
) -> list[OrganisationAllianceStatus]:
    """The seven alliances, each with ``organisation``'s live membership or None."""
    live = {
        m.alliance_id: m
        for m in AllianceMembership.objects.live().filter(organisation=organisation)
    }
    return [
        OrganisationAllianceStatus(alliance=alliance, membership=live.get(alliance.pk))
        for alliance in Alliance.objects.select_related("lead_organisation", "secretary")
    ]


# --- The kernel's directory, through federation.affiliations (see apps.py) -------------


def alliance_list_for_filter() -> list[Alliance]:
    """The alliances for the directory's filter, in their order."""
    return list(Alliance.objects.all())


def organisation_filter_by_alliance(
    queryset: QuerySet[Organisation], code: str
) -> QuerySet[Organisation]:
    """The organisations of ``queryset`` that are active members of the alliance ``code``."""
    return queryset.filter(
        alliance_memberships__alliance__code=code,
        alliance_memberships__status=Status.ACTIVE,
    )


def organisation_prefetch_active_alliances(
    queryset: QuerySet[Organisation],
) -> QuerySet[Organisation]:
    """Prefetch active alliance memberships as ``active_alliance_memberships``."""
    return queryset.prefetch_related(
        Prefetch(
            "alliance_memberships",
            queryset=AllianceMembership.objects.filter(status=Status.ACTIVE)
            .select_related("alliance")
            .order_by("alliance__position", "alliance__code"),
            to_attr="active_alliance_memberships",
        )
    )


def user_is_alliance_secretary(user: User) -> bool:
    """Whether ``user`` is secretary of any alliance (asked once per request's user)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_yilu_is_alliance_secretary", None)
    if cached is None:
        cached = Alliance.objects.filter(secretary=user).exists()
        user._yilu_is_alliance_secretary = cached
    return cached
