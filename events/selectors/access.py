"""Who may do what with events: secretaries and attendance takers."""

from django.db.models import QuerySet

from alliances.models import Alliance
from federation.models import User
from federation.rules import user_is_federation_staff

from ..models import Event

# --- Who may do what ------------------------------------------------------------


def user_is_alliance_secretary(*, user: User, alliance_id: int | None) -> bool:
    if alliance_id is None or not user.is_authenticated:
        return False
    return Alliance.objects.filter(pk=alliance_id, secretary=user).exists()


def user_may_manage_attendance(*, user: User, event: Event) -> bool:
    """Staff, or the secretary of the event's organising alliance."""
    if not user.is_authenticated:
        return False
    return user_is_federation_staff(user) or user_is_alliance_secretary(
        user=user, alliance_id=event.alliance_id
    )


def alliance_list_for_secretary(*, user: User) -> QuerySet[Alliance]:
    if not user.is_authenticated:
        return Alliance.objects.none()
    return Alliance.objects.filter(secretary=user).order_by("position", "code")
