"""Demo volunteers: one person volunteering for two organisations, certificates, a request.

Builds on the events demo's participants (fictitious names, fictitious
mobiles 1390000xxxx). The second organisation's row of the same person is
joined by a verified mobile, as the real flow does. Idempotent.
"""

import datetime

from django.utils import timezone

from events.models import Participant, Registration
from events.services import participant_create
from federation.models import User

from . import services
from .models import CertificateRequest, ServiceCertificate
from .selectors import volunteer_lines


def _busiest_volunteer() -> Participant | None:
    attended = (
        Registration.objects.filter(
            status=Registration.Status.ATTENDED,
            hours__gt=0,
            participant__role=Participant.Role.VOLUNTEER,
        )
        .order_by("participant_id")
        .values_list("participant_id", flat=True)
        .first()
    )
    return Participant.objects.select_related("organisation").filter(pk=attended).first()


def _second_row(person: Participant, staff: User) -> Participant | None:
    other = (
        Participant.objects.exclude(organisation=person.organisation)
        .filter(registrations__status=Registration.Status.ATTENDED, role="volunteer")
        .select_related("organisation")
        .order_by("organisation_id", "pk")
        .first()
    )
    if other is None:
        return None
    existing = Participant.objects.filter(organisation=other.organisation, mobile=person.mobile)
    return existing.first() or participant_create(
        organisation=other.organisation,
        name=person.name,
        mobile=person.mobile,
        role="volunteer",
        acting_user=staff,
    )


def seed(stdout) -> None:
    staff = User.objects.filter(email="staff@yilu.example", is_active=True).first()
    person = _busiest_volunteer()
    if staff is None or person is None:
        stdout.write("volunteers: no demo staff or attended hours; nothing to do.")
        return
    _second_row(person, staff)
    volunteer = services.volunteer_verify_mobile(mobile=person.mobile)
    if volunteer is None or ServiceCertificate.objects.filter(volunteer=volunteer).exists():
        stdout.write("volunteers: demo volunteer and certificates already there.")
        return
    year_start = datetime.date(timezone.localdate().year, 1, 1)
    lines = volunteer_lines(volunteer=volunteer, since=year_start)
    if lines:
        services.service_certificate_issue(
            volunteer=volunteer,
            organisation=None,
            period_from=year_start,
            period_to=timezone.localdate(),
            person_in_charge="王*华（虚构）",
            handler="陈*（虚构）",
            contact="021-00000000（虚构）",
            acting_user=staff,
        )
    if not CertificateRequest.objects.exists():
        # Another volunteer asked on the public page with a code to their (fictitious) mobile.
        other = (
            Participant.objects.filter(role=Participant.Role.VOLUNTEER, volunteer_link__isnull=True)
            .filter(registrations__status=Registration.Status.ATTENDED)
            .order_by("pk")
            .first()
        )
        if other is not None:
            services.certificate_request_create(
                mobile=other.mobile, period_from=year_start, period_to=timezone.localdate()
            )
    stdout.write(
        f"volunteers: {volunteer.name} joined across {volunteer.links.count()} organisations "
        "by a verified mobile; demo certificates issued (all fictitious)."
    )
