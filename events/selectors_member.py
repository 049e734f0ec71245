"""Reads for events that member organisations publish themselves (scoped, prefetched).

Kept apart from ``selectors.py`` while that module is split into a package.
"""

from django.db.models import QuerySet
from django.http import Http404

from alliances.models import AllianceMembership
from federation.models import Organisation, OrganisationMember, User

from .models import Event, Registration
from .selectors import _with_seat_counts


def organisation_is_alliance_member(*, organisation: Organisation, alliance_id: int | None) -> bool:
    if alliance_id is None:
        return False
    return (
        AllianceMembership.objects.active()
        .filter(alliance_id=alliance_id, organisation=organisation)
        .exists()
    )


def user_is_event_org_admin(*, user: User, event: Event) -> bool:
    """An org admin of the member organisation that organises ``event``."""
    if not user.is_authenticated or not user.is_active or event.organisation_id is None:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation_id=event.organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()


def member_event_list_for_organisation(*, organisation: Organisation) -> QuerySet[Event]:
    """Every event the organisation organises, drafts included, newest first."""
    return (
        _with_seat_counts(Event.objects.filter(organisation=organisation))
        .select_related("street")
        .order_by("-starts_at", "-pk")
    )


def member_event_get_for_organisation(*, organisation: Organisation, pk: int) -> Event:
    """One of ``organisation``'s own events; 404 for anyone else's."""
    event = (
        _with_seat_counts(Event.objects.filter(organisation=organisation, pk=pk))
        .select_related("organisation", "street")
        .first()
    )
    if event is None:
        raise Http404
    return event


def member_event_list_for_review() -> QuerySet[Event]:
    """Member organisations' drafts awaiting review, oldest submission first."""
    return (
        Event.objects.filter(
            organisation__isnull=False,
            status=Event.Status.DRAFT,
            review_state=Event.Review.SUBMITTED,
        )
        .select_related("organisation", "street")
        .order_by("submitted_at", "pk")
    )


def member_event_get_for_review(*, pk: int) -> Event:
    event = (
        _with_seat_counts(Event.objects.filter(organisation__isnull=False, pk=pk))
        .select_related("organisation", "street", "reviewed_by")
        .first()
    )
    if event is None:
        raise Http404
    return event


def member_event_registrations(*, event: Event) -> QuerySet[Registration]:
    """Everyone registered for an organisation's event, for its attendance page."""
    return (
        Registration.objects.filter(event=event)
        .select_related("organisation", "participant")
        .order_by("status", "seat", "created_at", "pk")
    )
