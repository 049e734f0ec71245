"""Writes for booth hosting: apply, confirm, decline, withdraw."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from events.models import Event, Participant
from federation.models import Organisation, User

from ..models import BoothApplication, BoothSlot, Qualification
from ._common import notify_booth_decided, require_org_admin, require_staff


def check_qualification(*, slot: BoothSlot, people: list[Participant]) -> None:
    """Refuse when the kind needs a qualification no named person holds on the day.

    Codes: qualification_missing (nobody holds one), qualification_expired (only
    expired ones).
    """
    required = slot.service_kind.qualification
    if not required:
        return
    day = slot.caravan.held_on
    held = list(
        Qualification.objects.filter(participant__in=people, kind=required).values_list(
            "expires_on", flat=True
        )
    )
    if any(expires_on >= day for expires_on in held):
        return
    label = Qualification(kind=required).get_kind_display()
    if held:
        raise ValidationError(
            _("The %(qualification)s qualification of the people named expires before %(day)s.")
            % {"qualification": label, "day": day.isoformat()},
            code="qualification_expired",
        )
    raise ValidationError(
        _("This booth needs at least one person on duty qualified as %(qualification)s.")
        % {"qualification": label},
        code="qualification_missing",
    )


def _check_open(slot: BoothSlot) -> None:
    event = slot.caravan.event
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise ValidationError(_("This caravan is closed."), code="caravan_closed")
    if event.status == Event.Status.DRAFT:
        raise ValidationError(_("This caravan is not published yet."), code="caravan_closed")
    if timezone.now() >= event.starts_at:
        raise ValidationError(_("This caravan has started."), code="caravan_closed")


def _people(organisation: Organisation, people: Iterable[Participant]) -> list[Participant]:
    ids = {person.pk for person in people}
    if not ids:
        raise ValidationError(_("Name at least one person on duty."), code="no_people")
    found = list(Participant.objects.filter(pk__in=ids, organisation=organisation, is_active=True))
    if len(found) != len(ids):
        raise ValidationError(
            _("Name only your own organisation's active people."), code="person_not_ours"
        )
    return found


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def booth_apply(
    *,
    slot: BoothSlot,
    organisation: Organisation,
    people: Iterable[Participant],
    acting_user: User,
) -> BoothApplication:
    """Apply to host ``slot``; the first live application holds it.

    Refuses with not_member, caravan_closed, no_people, person_not_ours,
    qualification_missing, qualification_expired and slot_taken.
    """
    require_org_admin(acting_user, organisation.pk)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only active member organisations host booths."), code="not_member")
    # Lock the slot: racing applications for it queue here (the constraint backs it).
    slot = (
        BoothSlot.objects.select_for_update(of=("self",))
        .select_related("caravan__event", "service_kind")
        .get(pk=slot.pk)
    )
    _check_open(slot)
    found = _people(organisation, people)
    check_qualification(slot=slot, people=found)
    if slot.applications.filter(status__in=BoothApplication.LIVE_STATUSES).exists():
        raise ValidationError(_("Another organisation hosts this booth."), code="slot_taken")
    try:
        with transaction.atomic():
            application = BoothApplication.objects.create(
                slot=slot, organisation=organisation, applied_by=acting_user
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Another organisation hosts this booth."), code="slot_taken"
        ) from exc
    application.people.set(found)
    return application


def _lock_application(application: BoothApplication) -> BoothApplication:
    return (
        BoothApplication.objects.select_for_update(of=("self",))
        .select_related("slot__caravan__event", "slot__service_kind", "organisation", "applied_by")
        .get(pk=application.pk)
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def booth_confirm(*, application: BoothApplication, acting_user: User) -> BoothApplication:
    """Staff confirm a pending application; the host is told. Refuses not_pending."""
    require_staff(acting_user)
    application = _lock_application(application)
    if application.status != BoothApplication.Status.PENDING:
        raise ValidationError(_("Only a pending application can be decided."), code="not_pending")
    check_qualification(slot=application.slot, people=list(application.people.all()))
    application.status = BoothApplication.Status.CONFIRMED
    application.decided_by, application.decided_at = acting_user, timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    notify_booth_decided(application)
    return application


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def booth_decline(
    *, application: BoothApplication, reason: str, acting_user: User
) -> BoothApplication:
    """Staff decline with a reason; the slot opens again. Refuses reason_required, not_pending."""
    require_staff(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for declining."), code="reason_required")
    application = _lock_application(application)
    if application.status != BoothApplication.Status.PENDING:
        raise ValidationError(_("Only a pending application can be decided."), code="not_pending")
    application.status = BoothApplication.Status.DECLINED
    application.decline_reason = reason[:300]
    application.decided_by, application.decided_at = acting_user, timezone.now()
    application.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    notify_booth_decided(application)
    return application


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def booth_withdraw(*, application: BoothApplication, acting_user: User) -> BoothApplication:
    """The host withdraws until the caravan's cut-off. Refuses not_live and past_cut_off."""
    require_org_admin(acting_user, application.organisation_id)
    application = _lock_application(application)
    if not application.is_live:
        raise ValidationError(_("This application is no longer live."), code="not_live")
    if timezone.now() > application.slot.caravan.withdraw_until:
        raise ValidationError(
            _("The cut-off for withdrawing has passed; contact the federation staff."),
            code="past_cut_off",
        )
    application.status = BoothApplication.Status.WITHDRAWN
    application.save(update_fields=["status"])
    return application


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def qualification_add(
    *,
    participant: Participant,
    kind: str,
    number: str,
    issuer: str,
    expires_on,
    scan=None,
    acting_user: User,
) -> Qualification:
    """Record a participant's qualification (its scan checked by content)."""
    require_org_admin(acting_user, participant.organisation_id)
    qualification = Qualification(
        participant=participant,
        kind=kind,
        number=(number or "").strip(),
        issuer=(issuer or "").strip(),
        expires_on=expires_on,
    )
    if scan:
        qualification.scan = scan
    qualification.full_clean()
    qualification.save()
    return qualification
