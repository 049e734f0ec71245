"""Reads for the kernel, always scoped to what the asking user may see."""

from django.db.models import QuerySet

from .models import Organisation, OrganisationMember, User


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    """The organisations ``user`` belongs to (any status), by name."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(members__user=user).select_related("street").order_by("name")


def membership_get_for_user(*, user: User, organisation_id: int) -> OrganisationMember | None:
    """``user``'s place in one organisation, or None when they are not in it."""
    if not user.is_authenticated:
        return None
    return (
        OrganisationMember.objects.select_related("organisation", "organisation__street")
        .filter(user=user, organisation_id=organisation_id)
        .first()
    )
