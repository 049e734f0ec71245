"""Reads for volunteers: totals across organisations, each organisation's own rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from core.timezone import day_start, local_date
from events.models import Participant, Registration
from events.selectors import star_level
from federation.models import Organisation

from .models import ServiceCertificate, Volunteer, VolunteerLink
from .sources import ServiceLine, register_service_source, service_lines

ZERO = Decimal("0.00")


def event_service_lines(
    *,
    participant_ids: list[int],
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[ServiceLine]:
    """The events source: attended registrations with credited hours (one query)."""
    registrations = Registration.objects.filter(
        participant_id__in=participant_ids,
        status=Registration.Status.ATTENDED,
        hours__gt=0,
    ).select_related("event", "organisation")
    if since:
        registrations = registrations.filter(event__starts_at__gte=day_start(since))
    if until:
        registrations = registrations.filter(
            event__starts_at__lt=day_start(until + datetime.timedelta(days=1))
        )
    return [
        ServiceLine(
            day=local_date(registration.event.starts_at),
            activity=registration.event.title,
            organisation_id=registration.organisation_id,
            organisation_name=registration.organisation.name,
            participant_id=registration.participant_id,
            hours=registration.hours,
        )
        for registration in registrations
    ]


register_service_source("events", event_service_lines)


@dataclass
class VolunteerSummary:
    volunteer: Volunteer
    total_hours: Decimal
    stars: int
    organisation_names: list[str]


def _participant_ids(volunteer: Volunteer) -> list[int]:
    return [link.participant_id for link in volunteer.links.all()]


def _summaries(volunteers: list[Volunteer]) -> list[VolunteerSummary]:
    """Totals for several volunteers: one query per hours source, whatever their number."""
    owner: dict[int, int] = {}
    for volunteer in volunteers:
        for link in volunteer.links.all():
            owner[link.participant_id] = volunteer.pk
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in service_lines(participant_ids=list(owner)):
        totals[owner[line.participant_id]] += line.hours
    return [
        VolunteerSummary(
            volunteer=volunteer,
            total_hours=totals[volunteer.pk],
            stars=star_level(totals[volunteer.pk]),
            organisation_names=sorted(
                {link.participant.organisation.name for link in volunteer.links.all()}
            ),
        )
        for volunteer in volunteers
    ]


def _with_links(queryset: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    return queryset.prefetch_related(
        Prefetch(
            "links",
            queryset=VolunteerLink.objects.select_related("participant__organisation").order_by(
                "pk"
            ),
        )
    )


def volunteer_list(*, query: str = "") -> QuerySet[Volunteer]:
    """Staff overview: every volunteer (by name), their links prefetched; page it and pass
    a page to ``volunteer_list_summaries``."""
    volunteers = Volunteer.objects.order_by("name", "pk")
    if query:
        volunteers = volunteers.filter(name__icontains=query)
    return _with_links(volunteers)


def volunteer_list_summaries(volunteers) -> list[VolunteerSummary]:
    """Each volunteer's total across organisations: the same few queries for any number."""
    return _summaries(list(volunteers))


def volunteer_get_summary(*, pk: int) -> VolunteerSummary:
    volunteer = _with_links(Volunteer.objects.filter(pk=pk)).first()
    if volunteer is None:
        raise Http404
    return _summaries([volunteer])[0]


def volunteer_total_hours(*, volunteer: Volunteer) -> Decimal:
    lines = service_lines(participant_ids=_participant_ids(volunteer))
    return sum((line.hours for line in lines), ZERO)


def volunteer_lines(
    *,
    volunteer: Volunteer,
    organisation: Organisation | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[ServiceLine]:
    """A volunteer's service lines; only ``organisation``'s own rows when one is given."""
    ids = [
        link.participant_id
        for link in volunteer.links.select_related("participant")
        if organisation is None or link.participant.organisation_id == organisation.pk
    ]
    return service_lines(participant_ids=ids, since=since, until=until)


@dataclass
class OrganisationRow:
    participant: Participant
    volunteer_id: int | None
    hours: Decimal
    stars: int


def volunteer_rows_for_organisation(*, organisation: Organisation) -> list[OrganisationRow]:
    """An organisation's own volunteers with the hours *it* recorded, nothing from others."""
    participants = list(
        Participant.objects.filter(organisation=organisation, role=Participant.Role.VOLUNTEER)
        .select_related("volunteer_link")
        .order_by("name", "pk")
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in service_lines(participant_ids=[p.pk for p in participants]):
        totals[line.participant_id] += line.hours
    rows = []
    for participant in participants:
        link = getattr(participant, "volunteer_link", None)
        hours = totals[participant.pk]
        rows.append(
            OrganisationRow(
                participant=participant,
                volunteer_id=link.volunteer_id if link else None,
                hours=hours,
                stars=star_level(hours),
            )
        )
    return rows


def participant_get_for_organisation(*, organisation: Organisation, pk: int) -> Participant:
    participant = Participant.objects.filter(organisation=organisation, pk=pk).first()
    if participant is None:
        raise Http404
    return participant


def volunteer_get_for_participant(*, participant: Participant) -> Volunteer | None:
    link = VolunteerLink.objects.filter(participant=participant).select_related("volunteer").first()
    return link.volunteer if link else None


def certificate_list_for_issuer(*, organisation: Organisation | None) -> QuerySet:
    """Certificates an issuer made (None: every certificate, for staff)."""
    certificates = ServiceCertificate.objects.select_related("volunteer", "organisation")
    if organisation is not None:
        certificates = certificates.filter(organisation=organisation)
    return certificates.order_by("-issued_at", "-pk")


def certificate_get_by_number(*, number: str) -> ServiceCertificate | None:
    return ServiceCertificate.objects.filter(number=number.strip().upper()).first()
