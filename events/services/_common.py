"""Private helpers shared by the event and registration services.

Each asserts it runs inside the caller's transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from federation.models import OrganisationMember, User
from federation.rules import user_is_federation_staff
from federation.selectors_hubs import user_is_hub_staff_for_street
from notifications.services import message_enqueue

from ..models import Event, Registration
from ..selectors import user_may_manage_attendance
from ..selectors_member import user_is_event_org_admin
from ..tickets import ticket_qr_svg, ticket_url
from ..validators import normalize_mobile, validate_mobile

# Check-in opens this long before the start (people arrive early).
CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=2)


def _require_attendance_manager(user: User, event: Event) -> None:
    if user_may_manage_attendance(user=user, event=event):
        return
    # A member organisation runs the attendance of its own events.
    if user_is_event_org_admin(user=user, event=event):
        return
    # A street hub's staff check people in at events held in their street.
    if not user_is_hub_staff_for_street(user=user, street_id=event.street_id):
        raise PermissionDenied


def _clean_person(name: str, mobile: str) -> tuple[str, str]:
    name = (name or "").strip()
    mobile = normalize_mobile(mobile)
    errors = {}
    if not name:
        errors["name"] = ValidationError(_("Enter a name."), code="name_required")
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc
    if errors:
        raise ValidationError(errors)
    return name, mobile


def _require_organisation_member(user: User, organisation_id: int) -> None:
    if user_is_federation_staff(user):
        return
    if not OrganisationMember.objects.filter(user=user, organisation_id=organisation_id).exists():
        raise PermissionDenied


def _lock_event(event: Event) -> Event:
    """The event row, locked: racing writers for one event queue here."""
    assert transaction.get_connection().in_atomic_block
    return (
        Event.objects.select_for_update(no_key=True, of=("self",))
        .select_related("parent", "alliance")
        .get(pk=event.pk)
    )


def _free_seats(event: Event, count: int) -> list[int]:
    taken = set(event.registrations.filter(seat__isnull=False).values_list("seat", flat=True))
    if event.capacity is None:
        top = max(taken, default=0)
        return list(range(top + 1, top + 1 + count))
    return [s for s in range(1, event.capacity + 1) if s not in taken][:count]


def _promote_waitlisted(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first; the event is locked."""
    assert transaction.get_connection().in_atomic_block
    if event.status != Event.Status.PUBLISHED or timezone.now() >= event.starts_at:
        return []
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    if event.capacity is not None:
        free = _free_seats(event, event.capacity)
        waiting = list(waiting[: len(free)])
    else:
        waiting = list(waiting)
        free = _free_seats(event, len(waiting))
    now = timezone.now()
    for registration, seat in zip(waiting, free, strict=False):
        registration.status = Registration.Status.CONFIRMED
        registration.seat = seat
        registration.promoted_at = now
        registration.save(update_fields=["status", "seat", "promoted_at"])
        _notify(registration, "registration_promoted", event=event)
    return waiting


def _notify(registration: Registration, kind: str, *, event: Event, extra: dict | None = None):
    """Queue one e-mail about ``registration`` through the outbox (inside our transaction)."""
    assert transaction.get_connection().in_atomic_block
    recipient = registration.registered_by
    email = "" if recipient else registration.email
    if recipient is None and not email:
        return None  # a visitor who left no address: the ticket page is enough
    context = {
        "event_title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": " ".join(part for part in (event.venue_name, event.address) if part),
        "person_name": registration.name,
        "status": registration.status,
        "event_url": absolute_url(event.get_absolute_url()),
        "ticket_url": ticket_url(registration),
    }
    if kind in ("registration_confirmed", "registration_promoted"):
        context["token"] = registration.token
        context["check_in_code"] = registration.check_in_code_display
        context["qr_svg"] = ticket_qr_svg(registration)
    context.update(extra or {})
    return message_enqueue(
        kind=kind,
        recipient=recipient,
        email=email,
        template=f"events/email/{kind}",
        context=context,
        dedupe_key=f"{kind}:registration:{registration.pk}:{registration.status}",
        # News about an event that is over is no use to anyone.
        expires_at=event.ends_at,
    )
