"""Writes for events a street hub organises in its own street.

Invariants owned here:

- Only staff of the organising hub draft, edit and submit its events
  (PermissionDenied otherwise; views answer 404). The event is always held in
  the hub's street, whatever the form says.
- Publishing follows the hub's setting ``events_need_approval``: when set,
  submitting puts the draft before federation staff (``federation.review_hub_work``),
  who publish or return it with a reason; when not set, submitting publishes.
- An event under review is not edited; a published one is changed by
  federation staff only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from federation.models import StreetHub, User
from federation.selectors_hubs import hub_get_for_user

from ..models import Event
from ._common import _lock_event
from .events import _apply_fields, _slug_for
from .member_events import MEMBER_EVENT_FIELDS, MEMBER_KINDS

HUB_EVENT_FIELDS = tuple(name for name in MEMBER_EVENT_FIELDS if name != "street")


def _require_hub_staff(user: User, hub_id: int | None) -> StreetHub:
    hub = hub_get_for_user(user=user)
    if hub is None or hub_id is None or hub.pk != hub_id:
        raise PermissionDenied
    return hub


def _require_reviewer(user: User) -> None:
    if not user.has_perm("federation.review_hub_work"):
        raise PermissionDenied


def _apply_hub_fields(event: Event, hub: StreetHub, fields: dict) -> None:
    unknown = set(fields) - set(HUB_EVENT_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    _apply_fields(event, fields)
    event.street_id = hub.street_id
    if event.kind not in MEMBER_KINDS:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "A hub organises trainings, team building, outreach and other activities here."
                    ),
                    code="kind_forbidden",
                )
            }
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def hub_event_create(*, hub: StreetHub, acting_user: User, **fields) -> Event:
    """A draft event organised by ``hub`` in its street; only the hub's staff."""
    hub = _require_hub_staff(acting_user, hub.pk)
    event = Event(created_by=acting_user, hub=hub, status=Event.Status.DRAFT)
    _apply_hub_fields(event, hub, fields)
    event.slug = _slug_for(event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def hub_event_update(*, event: Event, acting_user: User, **fields) -> Event:
    """Edit the hub's draft; refuses not_draft and under_review."""
    hub = _require_hub_staff(acting_user, event.hub_id)
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
    _apply_hub_fields(locked, hub, fields)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def hub_event_submit(*, event: Event, acting_user: User) -> Event:
    """Publish the draft, or put it before federation staff when the hub's setting says so.

    Refuses not_draft and already_submitted.
    """
    _require_hub_staff(acting_user, event.hub_id)
    locked = _lock_event(event)
    if locked.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft is submitted."), code="not_draft")
    if locked.review_state == Event.Review.SUBMITTED:
        raise ValidationError(_("This event is already awaiting review."), code="already_submitted")
    # Read the setting at submission time, from the database: the federation may change it.
    needs_approval = StreetHub.objects.values_list("events_need_approval", flat=True).get(
        pk=locked.hub_id
    )
    locked.review_reason = ""
    locked.submitted_at = timezone.now()
    if needs_approval:
        locked.review_state = Event.Review.SUBMITTED
    else:
        locked.status = Event.Status.PUBLISHED
        locked.review_state = Event.Review.NONE
    locked.save(
        update_fields=["status", "review_state", "review_reason", "submitted_at", "updated_at"]
    )
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def hub_event_approve(*, event: Event, acting_user: User) -> Event:
    """Federation staff publish a hub's submitted event; refuses not_submitted."""
    _require_reviewer(acting_user)
    locked = _lock_event(event)
    if (
        locked.hub_id is None
        or locked.status != Event.Status.DRAFT
        or locked.review_state != Event.Review.SUBMITTED
    ):
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
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("events")
def hub_event_return(*, event: Event, reason: str, acting_user: User) -> Event:
    """Federation staff send a hub's submitted event back; refuses reason_required, not_submitted."""
    _require_reviewer(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for returning the event."), code="reason_required")
    locked = _lock_event(event)
    if (
        locked.hub_id is None
        or locked.status != Event.Status.DRAFT
        or locked.review_state != Event.Review.SUBMITTED
    ):
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
    return locked
