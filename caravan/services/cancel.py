"""Cancelling a caravan day (weather): every host, volunteer and registrant told once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from events.models import Event, Registration
from federation.models import OrganisationMember, User
from notifications.services import message_enqueue

from ..models import BoothApplication, Caravan
from ._common import caravan_context, require_staff


def _recipients(event: Event, live_registrations, applications) -> dict[str, tuple]:
    """One entry per person: accounts by pk, visitors by address."""
    found: dict[str, tuple] = {}
    for registration in live_registrations:
        if registration.registered_by_id:
            user = registration.registered_by
            found.setdefault(f"user:{user.pk}", (user, ""))
        elif registration.email:
            found.setdefault(f"email:{registration.email.lower()}", (None, registration.email))
    org_ids = {application.organisation_id for application in applications}
    admins = OrganisationMember.objects.filter(
        organisation_id__in=org_ids, role=OrganisationMember.Role.ADMIN
    ).select_related("user")
    for application in applications:
        if application.applied_by_id:
            found.setdefault(f"user:{application.applied_by_id}", (application.applied_by, ""))
    for member in admins:
        found.setdefault(f"user:{member.user_id}", (member.user, ""))
    return found


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def caravan_cancel(*, caravan: Caravan, reason: str, acting_user: User) -> Caravan:
    """Cancel the day and its volunteer shifts; tell each host, volunteer, registrant once.

    Refuses with reason_required and not_cancellable (already cancelled or completed).
    """
    require_staff(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for cancelling."), code="reason_required")
    event = Event.objects.select_for_update(no_key=True).get(pk=caravan.event_id)
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise ValidationError(
            _("A completed or cancelled caravan cannot be cancelled."), code="not_cancellable"
        )
    shift_events = list(
        Event.objects.select_for_update(no_key=True)
        .filter(shift__post__event=event)
        .exclude(status__in=[Event.Status.CANCELLED, Event.Status.COMPLETED])
        .order_by("pk")
    )
    now = timezone.now()
    events = [event, *shift_events]
    for each in events:
        each.status = Event.Status.CANCELLED
        each.cancelled_reason = reason[:300]
        each.cancelled_at = now
        each.save(update_fields=["status", "cancelled_reason", "cancelled_at", "updated_at"])
    live = list(
        Registration.objects.filter(
            event__in=events,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
        )
        .select_related("registered_by")
        .order_by("pk")
    )
    Registration.objects.filter(pk__in=[r.pk for r in live]).update(
        status=Registration.Status.CANCELLED, seat=None, cancelled_at=now
    )
    applications = list(
        BoothApplication.objects.filter(
            slot__caravan=caravan, status__in=BoothApplication.LIVE_STATUSES
        ).select_related("applied_by")
    )
    caravan = Caravan.objects.select_related("event").get(pk=caravan.pk)
    context = caravan_context(caravan) | {"reason": reason}
    for key, (user, email) in _recipients(event, live, applications).items():
        message_enqueue(
            kind="caravan_cancelled",
            recipient=user,
            email=email,
            template="caravan/email/caravan_cancelled",
            context=context,
            dedupe_key=f"caravan_cancelled:{event.pk}:{key}",
            expires_at=event.ends_at,
        )
    return caravan
