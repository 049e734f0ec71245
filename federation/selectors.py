"""Reads for the kernel, always scoped to what the asking user may see.

The alliances app depends on this one, never the reverse: the directory's
alliance filter and profiles' alliances come through ``federation.affiliations``,
which the alliances app fills in its ``AppConfig.ready()``.
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .affiliations import affiliation_get
from .models import (
    AnnualInspection,
    Invitation,
    MembershipEvent,
    Organisation,
    OrganisationChangeRequest,
    OrganisationMember,
    ServiceField,
    Street,
    User,
)
from .pinyin import search_key

# Still read by federation/admin.py's alliance filter; organisation_filter_by_alliance
# below is the registry-based replacement.
ACTIVE_ALLIANCE_STATUS = "active"


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    """The organisations ``user`` belongs to (any status), by name."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(members__user=user).select_related("street").order_by("name")


def application_get_pending_for_user(*, user: User) -> Organisation | None:
    """The organisation ``user`` applied for that still waits for review, if any."""
    if not user.is_authenticated:
        return None
    return Organisation.objects.filter(
        members__user=user, status=Organisation.Status.APPLIED
    ).first()


def membership_get_for_user(*, user: User, organisation_id: int) -> OrganisationMember | None:
    """``user``'s place in one organisation, or None when they are not in it."""
    if not user.is_authenticated:
        return None
    return (
        OrganisationMember.objects.select_related("organisation", "organisation__street")
        .filter(user=user, organisation_id=organisation_id)
        .first()
    )


# --- Alliances, through the registry the alliances app fills ----------------------


def alliance_list_for_filter() -> list:
    """The alliances (for the directory filter), or [] when the alliances app is absent."""
    affiliation = affiliation_get()
    return affiliation.choices() if affiliation else []


def organisation_filter_by_alliance(
    queryset: QuerySet[Organisation], code: str
) -> QuerySet[Organisation]:
    """The organisations of ``queryset`` in the alliance ``code`` (unfiltered without alliances)."""
    affiliation = affiliation_get()
    return affiliation.filter(queryset, code) if affiliation else queryset


def _with_active_alliances(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Prefetch active alliance memberships as ``active_alliance_memberships``."""
    affiliation = affiliation_get()
    return affiliation.prefetch(queryset) if affiliation else queryset


# --- Public directory ----------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    street: str = ""  # street code
    legal_form: str = ""
    service_field: str = ""  # service field code
    alliance: str = ""  # alliance code
    rating: str = ""


def organisation_list_public(*, filters: DirectoryFilters | None = None) -> QuerySet[Organisation]:
    """Active members for the public directory, filtered, in pinyin order; no personal data.

    Selects only public columns so a template cannot show a phone by mistake.
    """
    filters = filters or DirectoryFilters()
    queryset = Organisation.objects.active()
    if filters.street:
        queryset = queryset.filter(street__code=filters.street)
    if filters.legal_form:
        queryset = queryset.filter(legal_form=filters.legal_form)
    if filters.service_field:
        queryset = queryset.filter(service_fields__code=filters.service_field)
    if filters.alliance:
        queryset = organisation_filter_by_alliance(queryset, filters.alliance)
    if filters.rating:
        queryset = queryset.filter(rating=filters.rating)
    query = (filters.query or "").strip()
    if query:
        condition = (
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(name_en__icontains=query)
        )
        key = search_key(query)
        if key:
            condition |= Q(pinyin_search__contains=key)
        queryset = queryset.filter(condition)
    queryset = (
        queryset.select_related("street")
        .prefetch_related(
            Prefetch("service_fields", queryset=ServiceField.objects.order_by("position"))
        )
        .only(*PUBLIC_FIELDS)
        .in_pinyin_order()
    )
    return _with_active_alliances(queryset)


PUBLIC_FIELDS = (
    "id",
    "name",
    "short_name",
    "name_en",
    "slug",
    "status",
    "legal_form",
    "street",
    "rating",
    "rating_year",
    "description",
    "logo",
    "website",
    "joined_on",
    "name_pinyin",
    "street__code",
    "street__name_zh",
    "street__name_en",
)


def organisation_get_public(*, slug: str) -> Organisation | None:
    """An active member's public profile, with fields and active alliances; None otherwise."""
    queryset = (
        Organisation.objects.active()
        .filter(slug=slug)
        .select_related("street")
        .prefetch_related(
            Prefetch("service_fields", queryset=ServiceField.objects.order_by("position"))
        )
    )
    return _with_active_alliances(queryset).first()


def service_field_list_with_counts() -> QuerySet[ServiceField]:
    """The service fields, each with ``organisation_count`` active members."""
    return ServiceField.objects.annotate(
        organisation_count=Count(
            "organisations", filter=Q(organisations__status=Organisation.Status.ACTIVE)
        )
    ).order_by("position", "code")


def street_list() -> QuerySet[Street]:
    return Street.objects.order_by("code")


# --- My organisation -----------------------------------------------------------


def member_list_for_organisation(*, organisation: Organisation) -> QuerySet[OrganisationMember]:
    return (
        OrganisationMember.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__email")
    )


def member_get_for_organisation(
    *, organisation: Organisation, pk: int
) -> OrganisationMember | None:
    """A member of ``organisation`` by id; None for anyone else's (the view answers 404)."""
    return (
        OrganisationMember.objects.select_related("user", "organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )


def invitation_list_pending(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, status=Invitation.Status.PENDING
    ).select_related("invited_by")


def invitation_get_for_organisation(*, organisation: Organisation, pk: int) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(organisation=organisation, pk=pk)
        .first()
    )


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation a genuine signed link points at (any state), or None."""
    pk = Invitation.pk_from_token(token)
    if pk is None:
        return None
    return Invitation.objects.select_related("organisation", "invited_by").filter(pk=pk).first()


def invitation_list_for_user(*, user: User) -> QuerySet[Invitation]:
    """Pending, unexpired invitations to any of ``user``'s verified addresses."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return (
        Invitation.objects.filter(
            email__in=[email.lower() for email in emails],
            status=Invitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .exclude(organisation__members__user=user)
        .select_related("organisation", "invited_by")
    )


def change_request_get_pending(*, organisation: Organisation) -> OrganisationChangeRequest | None:
    return OrganisationChangeRequest.objects.filter(
        organisation=organisation, status=OrganisationChangeRequest.Status.PENDING
    ).first()


@dataclass
class InspectionYear:
    year: int
    inspection: AnnualInspection | None
    deadlines: list

    @property
    def status_display(self) -> str:
        if self.inspection is None:
            return AnnualInspection.Status.NOT_SUBMITTED.label
        return self.inspection.get_status_display()

    @property
    def can_submit(self) -> bool:
        return self.inspection is None or (
            self.inspection.status == AnnualInspection.Status.NOT_SUBMITTED
        )


def annual_inspection_years(*, organisation: Organisation, years: int = 3) -> list[InspectionYear]:
    """The last ``years`` finished years with their inspection (or none yet) and deadlines."""
    if not organisation.files_annual_inspection:
        return []
    last = timezone.localdate().year - 1
    # No report is due on the years before the organisation was founded.
    first = organisation.established_on.year if organisation.established_on else None
    wanted = [year for year in range(last, last - years, -1) if first is None or year >= first]
    recorded = {
        inspection.year: inspection
        for inspection in AnnualInspection.objects.filter(organisation=organisation).select_related(
            "reviewed_by"
        )
    }
    extra = sorted((year for year in recorded if year not in wanted), reverse=True)
    return [
        InspectionYear(
            year=year,
            inspection=recorded.get(year),
            deadlines=AnnualInspection.deadlines(organisation=organisation, year=year),
        )
        for year in wanted + extra
    ]


def organisation_list_inspection_outstanding(*, year: int) -> QuerySet[Organisation]:
    """Active members that file an inspection and have not yet submitted the one on ``year``.

    For the reminders (``inspection_due``): deadlines are 31 March and 31 May
    of ``year + 1`` (see ``AnnualInspection.deadlines``).
    """
    done = AnnualInspection.objects.filter(year=year).exclude(
        status=AnnualInspection.Status.NOT_SUBMITTED
    )
    return (
        Organisation.objects.active()
        .filter(legal_form__in=Organisation.INSPECTED_FORMS)
        .filter(Q(established_on__isnull=True) | Q(established_on__year__lte=year))
        .exclude(pk__in=done.values("organisation_id"))
        .select_related("street")
    )


def membership_event_list(*, organisation: Organisation) -> QuerySet[MembershipEvent]:
    """The organisation's membership history, newest first (staff only: the admin shows it)."""
    return MembershipEvent.objects.filter(organisation=organisation).select_related("acting_user")


def organisation_admins(*, organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        organisation_memberships__organisation=organisation,
        organisation_memberships__role=OrganisationMember.Role.ADMIN,
        is_active=True,
    )


def inspection_due_dates(*, year: int) -> tuple[datetime.date, datetime.date]:
    """The two statutory deadlines for reports on ``year``: 31 March and 31 May of the next."""
    return datetime.date(year + 1, 3, 31), datetime.date(year + 1, 5, 31)


def staff_waiting_counts() -> dict[str, int]:
    """What waits for the staff in the kernel: membership applications, change requests."""
    return {
        "applications": Organisation.objects.filter(status=Organisation.Status.APPLIED).count(),
        "change_requests": OrganisationChangeRequest.objects.filter(
            status=OrganisationChangeRequest.Status.PENDING
        ).count(),
    }
