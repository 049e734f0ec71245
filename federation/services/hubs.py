"""Writes for the street hubs.

Invariants owned here:

- One person works for one hub (``HubStaff.user`` is one-to-one); assigning a
  person to a second hub is refused (``already_hub_staff``), never moved silently.
- A hub's recommendation on a membership application is advice: it is kept
  beside the application for federation staff and never changes the
  organisation's status. Only hub staff of the applicant's street give it,
  only while the application waits (``not_pending``); a second one replaces
  the first.
- Settings a hub may change itself are its public contact and description;
  whether its events need approval is the federation's call (back office).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates

from ..models import HubRecommendation, HubStaff, Organisation, StreetHub, User
from ..validators import normalise_phone

HUB_PROFILE_FIELDS = ("address", "contact_person", "contact_phone", "contact_email", "description")
HUB_SETTINGS_FIELDS = ("name", *HUB_PROFILE_FIELDS, "events_need_approval")


@transaction.atomic(durable=True)
@page_cache_invalidates("streets")
def hub_staff_add(*, hub: StreetHub, user: User, acting_user: User | None) -> HubStaff:
    """Make ``user`` staff of ``hub``; refuses already_hub_staff for another hub."""
    existing = HubStaff.objects.select_for_update(no_key=True).filter(user=user).first()
    if existing is not None:
        if existing.hub_id == hub.pk:
            return existing
        raise ValidationError(
            _("%(user)s already works for %(hub)s.") % {"user": user, "hub": existing.hub},
            code="already_hub_staff",
        )
    return HubStaff.objects.create(user=user, hub=hub)


@transaction.atomic(durable=True)
@page_cache_invalidates("streets")
def hub_staff_remove(*, hub: StreetHub, user: User, acting_user: User | None) -> None:
    HubStaff.objects.filter(hub=hub, user=user).delete()


def _hub_save(hub: StreetHub, allowed: tuple[str, ...], fields: dict) -> StreetHub:
    assert transaction.get_connection().in_atomic_block
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    hub = StreetHub.objects.select_for_update(no_key=True).get(pk=hub.pk)
    for name, value in fields.items():
        setattr(hub, name, value)
    hub.contact_phone = normalise_phone(hub.contact_phone)
    hub.full_clean()
    hub.save()
    return hub


@transaction.atomic(durable=True)
@page_cache_invalidates("streets")
def hub_profile_update(*, hub: StreetHub, acting_user: User | None, **fields) -> StreetHub:
    """The hub's staff change its public contact and description (not its approval setting)."""
    return _hub_save(hub, HUB_PROFILE_FIELDS, fields)


@transaction.atomic(durable=True)
@page_cache_invalidates("streets")
def hub_settings_update(*, hub: StreetHub, acting_user: User, **fields) -> StreetHub:
    """Federation staff change a hub: its name, contact, description and approval setting."""
    if not acting_user.has_perm("federation.review_hub_work"):
        raise PermissionDenied
    return _hub_save(hub, HUB_SETTINGS_FIELDS, fields)


@transaction.atomic(durable=True)
@page_cache_invalidates("streets")
def hub_recommendation_record(
    *, organisation: Organisation, verdict: str, note: str, acting_user: User
) -> HubRecommendation:
    """The hub's first-level opinion on a pending application; refuses not_pending.

    PermissionDenied unless ``acting_user`` works for the applicant's street hub.
    """
    staff = HubStaff.objects.select_related("hub").filter(user=acting_user).first()
    if staff is None or not acting_user.is_active:
        raise PermissionDenied
    # The organisation owns the rule (its status decides whether advice is still useful).
    organisation = Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
    if organisation.street_id != staff.hub.street_id:
        raise PermissionDenied
    if organisation.status != Organisation.Status.APPLIED:
        raise ValidationError(_("This application has already been decided."), code="not_pending")
    if verdict not in HubRecommendation.Verdict.values:
        raise ValidationError(_("Choose a recommendation."), code="verdict_invalid")
    note = (note or "").strip()
    if verdict != HubRecommendation.Verdict.RECOMMEND and not note:
        raise ValidationError(
            _("Say why, so the federation's staff can weigh it."), code="note_required"
        )
    recommendation, _created = HubRecommendation.objects.update_or_create(
        organisation=organisation,
        defaults={
            "hub": staff.hub,
            "verdict": verdict,
            "note": note,
            "recommended_by": acting_user,
            "recommended_at": timezone.now(),
        },
    )
    return recommendation
