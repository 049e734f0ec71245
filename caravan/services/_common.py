"""Private helpers of the caravan services; each runs inside the caller's transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core.links import absolute_url
from federation.models import OrganisationMember, User
from notifications.services import message_enqueue

from ..models import BoothApplication, Caravan


def in_transaction() -> None:
    assert transaction.get_connection().in_atomic_block, "call inside a transaction"


def require_staff(user: User) -> None:
    if not (user and user.is_authenticated and user.has_perm("caravan.manage_caravan")):
        raise PermissionDenied


def require_org_admin(user: User, organisation_id: int) -> None:
    if user and user.is_authenticated and user.has_perm("caravan.manage_caravan"):
        return
    is_admin = OrganisationMember.objects.filter(
        user=user, organisation_id=organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()
    if not is_admin:
        raise PermissionDenied


def require_record_permission(user: User, application: BoothApplication) -> None:
    """The host's admins, federation staff, or the hub staff of the caravan's street."""
    if not (user and user.is_authenticated):
        raise PermissionDenied
    if not user.has_perm("caravan.record_people_served", application):
        raise PermissionDenied


def caravan_context(caravan: Caravan) -> dict:
    event = caravan.event
    return {
        "caravan_title": event.title,
        "held_on": caravan.held_on,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": " ".join(part for part in (event.venue_name, event.address) if part),
        "url": absolute_url(event.get_absolute_url()),
    }


def notify_booth_decided(application: BoothApplication) -> None:
    """Tell whoever applied that staff confirmed or declined the booth."""
    in_transaction()
    if application.applied_by is None:
        return
    caravan = application.slot.caravan
    context = caravan_context(caravan) | {
        "service": application.slot.service_kind.name_zh,
        "organisation": application.organisation.name,
        "decision": application.status,
        "reason": application.decline_reason,
        "my_url": absolute_url(reverse("caravan:my-booth-list")),
    }
    message_enqueue(
        kind="booth_decided",
        recipient=application.applied_by,
        template="caravan/email/booth_decided",
        context=context,
        dedupe_key=f"booth_decided:{application.pk}:{application.status}",
        expires_at=caravan.event.ends_at,
    )
