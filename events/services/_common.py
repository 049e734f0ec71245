"""Private helpers shared by the event and registration services.

Each asserts it runs inside the caller's transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
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
from ..tickets import check_in_url, ticket_url
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


def _lock_event_row(event: Event) -> Event:
    """The event row alone, locked, for a registration: it reads no joined row (the
    alliance's name of a refusal loads on demand), and every column compiled or object
    built here is time the other sign-ups for this event queue for."""
    assert transaction.get_connection().in_atomic_block
    return Event.objects.select_for_update(no_key=True).get(pk=event.pk)


def _free_seats(event: Event, count: int) -> list[int]:
    """The ``count`` lowest free seat numbers (fewer when the event is full).

    Never loads every taken seat: one aggregate over the ``(event, seat)`` unique index;
    only when cancellations left gaps, a second query reads the first ``count`` gap edges.
    """
    if count <= 0:
        return []
    taken = Registration.objects.filter(event_id=event.pk, seat__isnull=False)
    span = taken.aggregate(first=Min("seat"), last=Max("seat"), number=Count("seat"))
    if span["first"] is None:
        free = list(range(1, count + 1))
    elif span["number"] == span["last"] - span["first"] + 1:
        # One unbroken block: free seats lie before it and after it.
        free = list(range(1, min(span["first"], count + 1)))
        free += range(span["last"] + 1, span["last"] + 1 + count - len(free))
    else:
        free = list(range(1, min(span["first"], count + 1)))
        # Each taken seat whose next seat is free opens a gap that runs to the next taken one.
        following = taken.filter(seat__gt=OuterRef("seat")).order_by("seat").values("seat")[:1]
        gaps = (
            taken.annotate(following=Subquery(following))
            .filter(Q(following__isnull=True) | Q(following__gt=F("seat") + 1))
            .order_by("seat")
            .values_list("seat", "following")
        )
        for seat, end in gaps[: max(count - len(free), 0)]:
            stop = end if end is not None else seat + 1 + count
            free += range(seat + 1, stop)[: count - len(free)]
    if event.capacity is not None:
        free = [seat for seat in free if seat <= event.capacity]
    return free[:count]


def _promote_waitlisted(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, oldest first; the event is locked."""
    assert transaction.get_connection().in_atomic_block
    if event.status != Event.Status.PUBLISHED or timezone.now() >= event.starts_at:
        return []
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    # No more than the capacity can move up at once; read the waiting list first, so the
    # seats asked for are only as many as there are people waiting.
    waiting = list(waiting if event.capacity is None else waiting[: event.capacity])
    free = _free_seats(event, len(waiting))
    waiting = waiting[: len(free)]
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
        # The QR code itself is drawn when the e-mail is rendered, after the commit:
        # drawing it here held the event lock and queued every other sign-up.
        context["token"] = registration.token
        context["check_in_code"] = registration.check_in_code_display
        context["check_in_url"] = check_in_url(registration)
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
