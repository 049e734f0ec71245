"""Writes for events that member organisations organise themselves.

Invariants owned here:

- Only an org admin of the organising organisation drafts, edits and submits
  its event; anyone else gets PermissionDenied (views answer 404).
- Nothing a member organisation writes is public before staff review: it
  stays a draft until a reviewer (``events.review_member_event``) publishes
  it; ``event_publish`` refuses non-staff too.
- An event under review is not edited; a returned one carries the reason
  (also check constraints ``events_event_returned_has_reason`` and
  ``events_event_submitted_is_draft``).
- The org admins hear about each decision once, through the outbox.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.pagecache import page_cache_invalidates
from federation.models import Organisation, OrganisationMember, User
from notifications.services import message_enqueue

from ..models import Event
from ._common import _lock_event
from .events import _apply_fields, _slug_for

MEMBER_EVENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "address",
    "street",
    "audience",
    "visitor_signup",
    "capacity",
    "per_organisation_limit",
    "registration_opens_at",
    "registration_closes_at",
    "waitlist_enabled",
    "cover_image",
)
# What a member organisation organises here (the caravan and festival stay the federation's).
MEMBER_KINDS = (
    Event.Kind.TRAINING,
    Event.Kind.TEAM_BUILDING,
    Event.Kind.OUTREACH,
    Event.Kind.OTHER,
)


def _require_org_admin(user: User, organisation_id: int | None) -> None:
    if (
        organisation_id is None
        or not user.is_authenticated
        or not OrganisationMember.objects.filter(
            user=user, organisation_id=organisation_id, role=OrganisationMember.Role.ADMIN
        ).exists()
    ):
        raise PermissionDenied


def _require_reviewer(user: User) -> None:
    if not user.has_perm("events.review_member_event"):
        raise PermissionDenied


def _apply_member_fields(event: Event, fields: dict) -> None:
    unknown = set(fields) - set(MEMBER_EVENT_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    _apply_fields(event, fields)
    if event.kind not in MEMBER_KINDS:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "Member organisations organise trainings, team building, outreach and other activities here."
                    ),
                    code="kind_forbidden",
                )
            }
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def member_event_create(*, organisation: Organisation, acting_user: User, **fields) -> Event:
    """A draft event organised by ``organisation``; only its org admins, only while active."""
    _require_org_admin(acting_user, organisation.pk)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            _("Only an active member organisation publishes events."),
            code="organisation_not_active",
        )
    event = Event(created_by=acting_user, organisation=organisation, status=Event.Status.DRAFT)
    _apply_member_fields(event, fields)
    event.slug = _slug_for(event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def member_event_update(*, event: Event, acting_user: User, **fields) -> Event:
    """Edit the organisation's draft; refuses under_review and not_draft."""
    _require_org_admin(acting_user, event.organisation_id)
    locked = _lock_event(event)
    if locked.status != Event.Status.DRAFT:
        raise ValidationError(
            _("A published event is changed by the federation's staff; write to them."),
            code="not_draft",
        )
    if locked.review_state == Event.Review.SUBMITTED:
        raise ValidationError(
            _("This event is awaiting review and cannot be changed now."), code="under_review"
        )
    _apply_member_fields(locked, fields)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def member_event_submit(*, event: Event, acting_user: User) -> Event:
    """Ask staff to review and publish the draft; refuses not_draft and already_submitted."""
    _require_org_admin(acting_user, event.organisation_id)
    locked = _lock_event(event)
    if locked.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft is submitted for review."), code="not_draft")
    if locked.review_state == Event.Review.SUBMITTED:
        raise ValidationError(_("This event is already awaiting review."), code="already_submitted")
    locked.review_state = Event.Review.SUBMITTED
    locked.review_reason = ""
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["review_state", "review_reason", "submitted_at", "updated_at"])
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def member_event_publish(*, event: Event, acting_user: User) -> Event:
    """A reviewer publishes a submitted event; refuses not_submitted. The org admins are told."""
    _require_reviewer(acting_user)
    locked = _lock_event(event)
    if locked.status != Event.Status.DRAFT or locked.review_state != Event.Review.SUBMITTED:
        raise ValidationError(
            _("Only an event awaiting review can be published here."), code="not_submitted"
        )
    locked.status = Event.Status.PUBLISHED
    locked.review_state = Event.Review.APPROVED
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = acting_user
    locked.save(
        update_fields=["status", "review_state", "reviewed_at", "reviewed_by", "updated_at"]
    )
    _notify_decision(locked)
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def member_event_return(*, event: Event, reason: str, acting_user: User) -> Event:
    """A reviewer sends a submitted event back with a reason; refuses reason_required, not_submitted."""
    _require_reviewer(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for returning the event."), code="reason_required")
    locked = _lock_event(event)
    if locked.status != Event.Status.DRAFT or locked.review_state != Event.Review.SUBMITTED:
        raise ValidationError(
            _("Only an event awaiting review can be returned."), code="not_submitted"
        )
    locked.review_state = Event.Review.RETURNED
    locked.review_reason = reason[:300]
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = acting_user
    locked.save(
        update_fields=["review_state", "review_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    _notify_decision(locked)
    return locked


def _notify_decision(event: Event) -> None:
    """One message per org admin of the organisation, per decision (the event is locked)."""
    assert transaction.get_connection().in_atomic_block
    admins = User.objects.filter(
        is_active=True,
        organisation_memberships__organisation_id=event.organisation_id,
        organisation_memberships__role=OrganisationMember.Role.ADMIN,
    ).order_by("pk")
    context = {
        "event_title": event.title,
        "approved": event.review_state == Event.Review.APPROVED,
        "reason": event.review_reason,
        "event_url": absolute_url(event.get_absolute_url()),
        "manage_url": absolute_url(reverse("member_events:update", kwargs={"pk": event.pk})),
    }
    for admin in admins:
        message_enqueue(
            kind="member_event_reviewed",
            recipient=admin,
            template="events/email/member_event_reviewed",
            context=context,
            dedupe_key=(
                f"member_event_reviewed:{event.pk}:{event.review_state}:"
                f"{event.reviewed_at.isoformat()}:user:{admin.pk}"
            ),
        )
