"""Writes for the participants organisations keep for reuse."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from federation.models import Organisation, User

from ..models import Participant
from ._common import (
    _clean_person,
    _require_organisation_member,
)


def _duplicate_mobile() -> ValidationError:
    return ValidationError(
        _("Someone with this mobile number is already on your list."),
        code="participant_duplicate",
    )


@transaction.atomic(durable=True)
def participant_create(
    *, organisation: Organisation, name: str, mobile: str, role: str, acting_user: User
) -> Participant:
    """Keep a staff member or volunteer for reuse; refuses a mobile already on the list."""
    _require_organisation_member(acting_user, organisation.pk)
    name, mobile = _clean_person(name, mobile)
    if Participant.objects.filter(organisation=organisation, mobile=mobile).exists():
        raise ValidationError({"mobile": _duplicate_mobile()})
    return Participant.objects.create(
        organisation=organisation, name=name, mobile=mobile, role=role
    )


@transaction.atomic(durable=True)
def participant_update(
    *,
    participant: Participant,
    name: str,
    mobile: str,
    role: str,
    is_active: bool = True,
    acting_user: User,
) -> Participant:
    """Correct a participant's details; past registrations keep their snapshot."""
    _require_organisation_member(acting_user, participant.organisation_id)
    name, mobile = _clean_person(name, mobile)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    clash = Participant.objects.filter(organisation_id=participant.organisation_id, mobile=mobile)
    if clash.exclude(pk=participant.pk).exists():
        raise ValidationError({"mobile": _duplicate_mobile()})
    participant.name, participant.mobile, participant.role = name, mobile, role
    participant.is_active = is_active
    participant.save(update_fields=["name", "mobile", "role", "is_active"])
    return participant
