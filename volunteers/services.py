"""Writes for volunteers: joining rows into one person, issuing certificates."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from events.models import Participant
from federation.models import Organisation, User

from .models import CertificateRequest, ServiceCertificate, Volunteer, VolunteerLink
from .sources import service_lines

ZERO = Decimal("0.00")


def _link_rows(volunteer: Volunteer, participants, method: str, acting_user) -> None:
    assert transaction.get_connection().in_atomic_block
    for participant in participants:
        link = VolunteerLink.objects.filter(participant=participant).first()
        if link is None:
            VolunteerLink.objects.create(
                volunteer=volunteer, participant=participant, method=method, linked_by=acting_user
            )
        elif link.volunteer_id != volunteer.pk:
            _absorb(volunteer, link.volunteer, method, acting_user)


def _absorb(target: Volunteer, source: Volunteer, method: str, acting_user) -> None:
    """Move every row, certificate and request of ``source`` to ``target``; drop ``source``."""
    assert transaction.get_connection().in_atomic_block
    source.links.update(volunteer=target, method=method, linked_by=acting_user)
    source.certificates.update(volunteer=target)
    source.requests.update(volunteer=target)
    if source.mobile and not target.mobile:
        mobile, verified_at = source.mobile, source.mobile_verified_at
        source.mobile = ""
        source.save(update_fields=["mobile"])
        target.mobile, target.mobile_verified_at = mobile, verified_at
        target.save(update_fields=["mobile", "mobile_verified_at"])
    source.delete()


def _join_by_mobile(mobile: str) -> Volunteer | None:
    """Join every volunteer row with ``mobile`` into one volunteer (the number is proven)."""
    assert transaction.get_connection().in_atomic_block
    participants = list(
        Participant.objects.select_for_update()
        .filter(mobile=mobile, role=Participant.Role.VOLUNTEER)
        .order_by("pk")
    )
    if not participants:
        return None
    volunteer = Volunteer.objects.select_for_update().filter(mobile=mobile).first()
    if volunteer is None:
        linked = VolunteerLink.objects.filter(participant__in=participants).order_by("pk").first()
        volunteer = linked.volunteer if linked else None
    if volunteer is None:
        volunteer = Volunteer.objects.create(name=participants[0].name)
    volunteer.mobile, volunteer.mobile_verified_at = mobile, timezone.now()
    volunteer.save(update_fields=["mobile", "mobile_verified_at"])
    _link_rows(volunteer, participants, VolunteerLink.Method.MOBILE, None)
    return volunteer


@transaction.atomic(durable=True)
@page_cache_invalidates("volunteers")
def volunteer_verify_mobile(*, mobile: str) -> Volunteer | None:
    """The person proved ``mobile`` (one-time code): join every row with that number.

    Returns None when no organisation has a volunteer row with the number.
    """
    return _join_by_mobile(mobile)


def _require_staff(user: User) -> None:
    if not user.has_perm("volunteers.manage_volunteers"):
        raise PermissionDenied


@transaction.atomic(durable=True)
@page_cache_invalidates("volunteers")
def volunteer_merge(*, target: Volunteer, source: Volunteer, acting_user: User) -> Volunteer:
    """Staff say two volunteers are one person: ``source``'s rows join ``target``."""
    _require_staff(acting_user)
    if target.pk == source.pk:
        raise ValidationError(_("Choose two different volunteers."), code="same_volunteer")
    first, second = sorted([target.pk, source.pk])
    locked = {v.pk: v for v in Volunteer.objects.select_for_update().filter(pk__in=[first, second])}
    target, source = locked[target.pk], locked[source.pk]
    if target.mobile and source.mobile and target.mobile != source.mobile:
        raise ValidationError(
            _("Both volunteers verified different mobiles; they are not one person."),
            code="different_mobiles",
        )
    _absorb(target, source, VolunteerLink.Method.MERGE, acting_user)
    return target


def _volunteer_for_participant(participant: Participant) -> Volunteer:
    assert transaction.get_connection().in_atomic_block
    link = VolunteerLink.objects.filter(participant=participant).select_related("volunteer").first()
    if link:
        return link.volunteer
    volunteer = Volunteer.objects.create(name=participant.name)
    VolunteerLink.objects.create(
        volunteer=volunteer, participant=participant, method=VolunteerLink.Method.SINGLE
    )
    return volunteer


@transaction.atomic(durable=True)
@page_cache_invalidates("volunteers")
def volunteer_get_or_create_for_participant(
    *, participant: Participant, acting_user: User
) -> Volunteer:
    """The volunteer a participant row belongs to; its own one if none yet (never a guess)."""
    if not acting_user.has_perm("volunteers.issue_certificate", participant.organisation):
        raise PermissionDenied
    return _volunteer_for_participant(participant)


def _next_serial(year: int) -> int:
    # Callers hold the year's lock; the unique (year, serial) constraint backs it.
    last = ServiceCertificate.objects.filter(year=year).aggregate(last=Max("serial"))["last"]
    return (last or 0) + 1


def _lock_year(year: int) -> None:
    """Serialise numbering per year: a transaction-scoped advisory lock on PostgreSQL."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5A59, year])


@transaction.atomic(durable=True)
@page_cache_invalidates("volunteers")
def service_certificate_issue(
    *,
    volunteer: Volunteer,
    organisation: Organisation | None,
    period_from: datetime.date,
    period_to: datetime.date,
    person_in_charge: str,
    handler: str,
    contact: str,
    acting_user: User,
    request: CertificateRequest | None = None,
) -> ServiceCertificate:
    """Number and freeze a certificate over the issuer's rows (all rows for the federation)."""
    if organisation is None:
        _require_staff(acting_user)
    elif not acting_user.has_perm("volunteers.issue_certificate", organisation):
        raise PermissionDenied
    if period_to < period_from:
        raise ValidationError(
            {"period_to": _("The period must end after it starts.")}, code="period_order"
        )
    ids = [
        link.participant_id
        for link in volunteer.links.select_related("participant")
        if organisation is None or link.participant.organisation_id == organisation.pk
    ]
    lines = service_lines(participant_ids=ids, since=period_from, until=period_to)
    if not lines:
        raise ValidationError(_("No attended hours in this period to certify."), code="no_hours")
    year = timezone.localdate().year
    _lock_year(year)
    serial = _next_serial(year)
    return _save_certificate(
        volunteer=volunteer,
        organisation=organisation,
        issuer_name=organisation.name if organisation else str(settings.YILU_SITE_NAME),
        year=year,
        serial=serial,
        lines=lines,
        period=(period_from, period_to),
        people=(person_in_charge.strip(), handler.strip(), contact.strip()),
        acting_user=acting_user,
        request=request,
    )


def _save_certificate(
    *,
    volunteer,
    organisation,
    issuer_name,
    year,
    serial,
    lines,
    period,
    people,
    acting_user,
    request,
) -> ServiceCertificate:
    assert transaction.get_connection().in_atomic_block
    person_in_charge, handler, contact = people
    if not (person_in_charge and handler and contact):
        raise ValidationError(
            _("Name the person in charge, the handler and a contact."), code="issuer_incomplete"
        )
    certificate = ServiceCertificate.objects.create(
        number=f"{ServiceCertificate.PREFIX}-{year}-{serial:04d}",
        year=year,
        serial=serial,
        volunteer=volunteer,
        organisation=organisation,
        issuer_name=issuer_name,
        person_in_charge=person_in_charge,
        handler=handler,
        contact=contact,
        volunteer_name=volunteer.name,
        period_from=period[0],
        period_to=period[1],
        total_hours=sum((line.hours for line in lines), ZERO),
        lines=[
            {
                "date": line.day.isoformat(),
                "activity": line.activity,
                "organisation": line.organisation_name,
                "hours": str(line.hours),
            }
            for line in lines
        ],
        issued_on=timezone.localdate(),
        issued_by=acting_user,
    )
    if request is not None:
        CertificateRequest.objects.filter(pk=request.pk).update(
            status=CertificateRequest.Status.ISSUED, certificate=certificate
        )
    return certificate


@transaction.atomic(durable=True)
@page_cache_invalidates("volunteers")
def service_certificate_revoke(
    *, certificate: ServiceCertificate, reason: str, acting_user: User
) -> ServiceCertificate:
    """Withdraw a certificate; its number stays taken and its page says revoked."""
    if not acting_user.has_perm("volunteers.issue_certificate", certificate.organisation):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason_required")
    certificate = ServiceCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise ValidationError(_("Already revoked."), code="already_revoked")
    certificate.revoked_at, certificate.revoked_reason = timezone.now(), reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


@transaction.atomic(durable=True)
@page_cache_invalidates("volunteers")
def certificate_request_create(
    *, mobile: str, period_from: datetime.date, period_to: datetime.date
) -> CertificateRequest | None:
    """After a verified code: join the rows of ``mobile`` and record the request.

    Returns None when no organisation has a volunteer with the number (the
    caller answers the same either way).
    """
    volunteer = _join_by_mobile(mobile)
    if volunteer is None:
        return None
    if period_to < period_from:
        period_from, period_to = period_to, period_from
    return CertificateRequest.objects.create(
        volunteer=volunteer, period_from=period_from, period_to=period_to
    )
