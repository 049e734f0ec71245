"""Writes for events: create, edit, publish, complete, cancel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from federation.models import User
from federation.rules import user_is_federation_staff

from ..models import Event, Registration
from ..selectors import user_is_alliance_secretary
from ..selectors_member import user_is_event_org_admin
from ._common import (
    _lock_event,
    _notify,
    _promote_waitlisted,
    _require_attendance_manager,
)

EVENT_EDITABLE_FIELDS = (
    "kind",
    "title",
    "slug",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "address",
    "street",
    "alliance",
    "organisation",
    "parent",
    "audience",
    "visitor_signup",
    "capacity",
    "per_organisation_limit",
    "registration_opens_at",
    "registration_closes_at",
    "waitlist_enabled",
    "is_alliance_only",
    "cover_image",
)


def _slug_for(event: Event) -> str:
    from pypinyin import lazy_pinyin  # ~55 MB: loaded by the first write that needs it

    base = slugify(" ".join(lazy_pinyin(event.title))) or "event"
    day = timezone.localtime(event.starts_at).strftime("%Y%m%d") if event.starts_at else ""
    base = f"{day}-{base[:70]}".strip("-")
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=event.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply_fields(event: Event, fields: dict) -> None:
    unknown = set(fields) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        Event._meta.get_field(name).save_form_data(event, value)


def event_check_rules(event: Event, acting_user: User) -> None:
    """Shape rules beyond the model's own validation, and who may organise what.

    Raises a ValidationError by field; forms call it to show the errors early.
    """
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if event.parent_id:
        if event.parent_id == event.pk:
            add("parent", _("An event cannot be its own parent."), "parent_self")
        elif event.parent.kind != Event.Kind.FESTIVAL:
            add("parent", _("Only a festival has activities."), "parent_not_festival")
    if event.kind == Event.Kind.FESTIVAL_ACTIVITY and not event.parent_id:
        add("parent", _("A festival activity belongs to a festival."), "activity_without_festival")
    if event.alliance_id and event.organisation_id:
        add(
            "organisation",
            _("Choose either an alliance or a member organisation as organiser, not both."),
            "two_organisers",
        )
    if not user_is_federation_staff(acting_user):
        # Alliance secretaries: their own alliance's trainings and team building only.
        if not user_is_alliance_secretary(user=acting_user, alliance_id=event.alliance_id):
            add(
                "alliance", _("You may only organise events of your own alliance."), "not_secretary"
            )
        if event.kind not in Event.ALLIANCE_KINDS:
            add("kind", _("Alliances organise trainings and team building here."), "kind_forbidden")
        if event.organisation_id or event.parent_id:
            add("organisation", _("Alliances organise their own events."), "not_secretary")
    if errors:
        raise ValidationError(errors)


def event_capacity_check(*, event: Event, capacity: int | None, taken: int | None = None) -> None:
    """Refuse a ``capacity`` below the places already held on ``event``.

    The one capacity rule: :func:`event_update` calls it under the event's lock
    with the seats it holds, the admin form before saving (``taken`` counted here).
    """
    if capacity is None or event.pk is None:
        return
    if taken is None:
        taken = event.registrations.holding_seat().count()
    if taken > capacity:
        message = _("%(count)s places are already confirmed; the capacity cannot be lower.")
        raise ValidationError(
            {
                "capacity": ValidationError(
                    message % {"count": taken}, code="capacity_below_confirmed"
                )
            }
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def event_create(*, acting_user: User, **fields) -> Event:
    """A new draft event; staff may organise anything, a secretary their alliance's."""
    event = Event(created_by=acting_user)
    _apply_fields(event, fields)
    event_check_rules(event, acting_user)
    if not event.slug:
        event.slug = _slug_for(event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def event_update(*, event: Event, acting_user: User, **fields) -> Event:
    """Change an event; a capacity cut below the confirmed places is refused.

    Raising the capacity promotes waitlisted registrations; shortening the
    event caps credited hours at the new length.
    """
    locked = _lock_event(event)
    if not user_is_federation_staff(acting_user):
        event_check_rules(locked, acting_user)  # may they touch it at all?
    old_capacity = locked.capacity
    _apply_fields(locked, fields)
    event_check_rules(locked, acting_user)
    if not locked.slug:
        locked.slug = _slug_for(locked)
    locked.full_clean()

    holding = list(locked.registrations.holding_seat().order_by("seat"))
    event_capacity_check(event=locked, capacity=locked.capacity, taken=len(holding))
    if locked.capacity is not None:
        # Move seats beyond the new capacity into free seats below it.
        taken = {r.seat for r in holding}
        free = (s for s in range(1, locked.capacity + 1) if s not in taken)
        for registration in holding:
            if registration.seat > locked.capacity:
                registration.seat = next(free)
                registration.save(update_fields=["seat"])

    length = locked.length_hours
    locked.registrations.filter(hours__gt=length).update(hours=length)
    locked.save()
    locked.registrations.filter(status=Registration.Status.ATTENDED, hours_corrected=False).exclude(
        participant=None
    ).update(hours=length)
    capacity_grew = locked.capacity is None or (
        old_capacity is not None and locked.capacity > old_capacity
    )
    if capacity_grew:
        _promote_waitlisted(locked)
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def event_publish(*, event: Event, acting_user: User) -> Event:
    """Publish a draft; refuses anything but a draft."""
    locked = _lock_event(event)
    if not user_is_federation_staff(acting_user):
        event_check_rules(locked, acting_user)
    if locked.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    locked.status = Event.Status.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def event_complete(*, event: Event, acting_user: User) -> Event:
    """Close a published event once it has ended."""
    locked = _lock_event(event)
    _require_attendance_manager(acting_user, locked)
    if locked.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Only a published event can be completed."), code="not_published")
    if timezone.now() < locked.ends_at:
        raise ValidationError(_("The event has not ended yet."), code="event_not_ended")
    locked.status = Event.Status.COMPLETED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def event_cancel(*, event: Event, reason: str, acting_user: User) -> Event:
    """Cancel an event, its activities and every live registration, telling each person."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for cancelling."), code="reason_required")
    locked = _lock_event(event)
    # A member organisation's admins cancel its own events (see services.member_events).
    if not user_is_federation_staff(acting_user) and not user_is_event_org_admin(
        user=acting_user, event=locked
    ):
        event_check_rules(locked, acting_user)
    if locked.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise ValidationError(
            _("A completed or cancelled event cannot be cancelled."), code="not_cancellable"
        )
    to_cancel = [locked]
    to_cancel += list(
        Event.objects.select_for_update(no_key=True)
        .filter(parent=locked)
        .exclude(status__in=[Event.Status.CANCELLED, Event.Status.COMPLETED])
        .order_by("pk")
    )
    now = timezone.now()
    for each in to_cancel:
        each.status = Event.Status.CANCELLED
        each.cancelled_reason = reason
        each.cancelled_at = now
        each.save(update_fields=["status", "cancelled_reason", "cancelled_at", "updated_at"])
        live = list(
            each.registrations.filter(
                status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
            ).select_related("registered_by")
        )
        for registration in live:
            registration.status = Registration.Status.CANCELLED
            registration.seat = None
            registration.cancelled_at = now
            registration.save(update_fields=["status", "seat", "cancelled_at"])
            _notify(registration, "event_cancelled", event=each, extra={"reason": reason})
    return locked
