"""Writes for volunteer posts at any event (a caravan's come from its series)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from events.models import Event
from federation.models import User

from ..models import VolunteerPost
from ._common import require_staff
from .series import shift_add


@transaction.atomic(durable=True)
@page_cache_invalidates("caravan")
def volunteer_post_create(
    *,
    event: Event,
    title: str,
    shifts: list[tuple[datetime.datetime, datetime.datetime, int]],
    acting_user: User,
) -> VolunteerPost:
    """A post with its shifts ``(starts_at, ends_at, headcount)``, each open for sign-up.

    Refuses with title_required, no_shifts and shift_outside_event.
    """
    require_staff(acting_user)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Name the post."), code="title_required")
    if not shifts:
        raise ValidationError(_("Add at least one shift."), code="no_shifts")
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    post = VolunteerPost.objects.create(event=event, title=title[:60])
    for starts_at, ends_at, headcount in shifts:
        if starts_at < event.starts_at - datetime.timedelta(hours=2) or ends_at > (
            event.ends_at + datetime.timedelta(hours=2)
        ):
            raise ValidationError(
                _("A shift lies within two hours of the event."), code="shift_outside_event"
            )
        shift = shift_add(
            post=post,
            starts_at=starts_at,
            ends_at=ends_at,
            headcount=headcount,
            acting_user=acting_user,
        )
        if event.status == Event.Status.PUBLISHED:
            shift.event.status = Event.Status.PUBLISHED
            shift.event.save(update_fields=["status", "updated_at"])
    return post
