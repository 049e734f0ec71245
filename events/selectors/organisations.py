"""Reads for an organisation's area: its participants and registrations."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from federation.models import Organisation

from ..models import Event, Participant, Registration

# --- Organisation area ------------------------------------------------------------


def participant_list_for_organisation(
    *, organisation: Organisation, active_only: bool = False
) -> QuerySet[Participant]:
    queryset = Participant.objects.filter(organisation=organisation)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name", "pk")


def participant_get_for_organisation(*, organisation: Organisation, pk: int) -> Participant:
    participant = Participant.objects.filter(organisation=organisation, pk=pk).first()
    if participant is None:
        raise Http404
    return participant


def registration_list_for_organisation(
    *, organisation: Organisation, upcoming_only: bool = False
) -> QuerySet[Registration]:
    queryset = Registration.objects.filter(organisation=organisation)
    if upcoming_only:
        queryset = queryset.filter(event__ends_at__gte=timezone.now())
    return queryset.select_related("event", "participant").order_by("-event__starts_at", "name")


def registration_get_for_organisation(*, organisation: Organisation, pk: int) -> Registration:
    """One of ``organisation``'s registrations; 404 for anyone else's."""
    registration = (
        Registration.objects.select_related("event", "event__alliance", "participant")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def registration_get_by_token(*, token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event").filter(token=token, participant=None).first()
    )
    if registration is None:
        raise Http404
    return registration


def event_registrations_for_organisation(
    *, event: Event, organisation: Organisation
) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, organisation=organisation).live()
