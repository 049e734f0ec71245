"""Writes for the membership lifecycle.

Invariants owned here:
- the lifecycle is applied → active → (suspended | lapsed | withdrawn), or
  applied → rejected; suspended and lapsed members may be reinstated;
- every change is one MembershipEvent (who, when, from, to, reason), made
  under the organisation's row lock;
- only staff approve, reject, suspend, lapse or reinstate; an org admin may
  withdraw their own organisation; every change but approval needs a reason;
- the applicant hears of the decision on an application by e-mail, in their
  language, through the outbox.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pagecache import page_cache_invalidates
from notifications.services import message_enqueue

from ..models import (
    Organisation,
    OrganisationMember,
    User,
)
from ._common import (
    absolute_url,
    assert_in_transaction,
    lock_organisation,
    record_membership_event,
    require_org_admin_or_staff,
    require_reason,
    require_staff,
)

Status = Organisation.Status


def _transition(
    organisation: Organisation,
    *,
    allowed_from: tuple[str, ...],
    to_status: str,
    reason: str,
    acting_user: User,
) -> tuple[Organisation, str]:
    """Check the state of a locked organisation, move it, record it; returns the old status."""
    assert_in_transaction()
    if organisation.status not in allowed_from:
        raise ValidationError(
            _("This organisation is %(status)s: that change is not possible now."),
            code="wrong_state",
            params={"status": organisation.get_status_display()},
        )
    from_status = organisation.status
    organisation.status = to_status
    if to_status == Status.ACTIVE and not organisation.joined_on:
        organisation.joined_on = timezone.localdate()
    organisation.save(
        update_fields=["status", "joined_on", "credit_code_warning_accepted", "updated_at"]
    )
    record_membership_event(
        organisation=organisation,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        acting_user=acting_user,
    )
    return organisation, from_status


def _notify_applicants(organisation: Organisation, *, decision: str, reason: str, key: str) -> None:
    assert_in_transaction()
    admins = User.objects.filter(
        organisation_memberships__organisation=organisation,
        organisation_memberships__role=OrganisationMember.Role.ADMIN,
        is_active=True,
    )
    for user in admins:
        message_enqueue(
            kind="membership_decided",
            recipient=user,
            template="federation/email/membership_decided",
            context={
                "organisation_name": organisation.name,
                "decision": decision,
                "reason": reason,
                "url": absolute_url(reverse("federation:my-home")),
            },
            dedupe_key=f"membership_decided:{key}:user:{user.pk}",
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_approve(
    *,
    organisation: Organisation,
    reason: str = "",
    accept_credit_code_warning: bool = False,
    acting_user: User,
) -> Organisation:
    """Staff admit an applicant; the applicant hears by e-mail in their language.

    Refuses ``credit_code_check_warning`` while the credit code fails the
    position-17 check and staff have not accepted it (pass the flag to accept).
    """
    require_staff(acting_user)
    locked = lock_organisation(organisation)
    if locked.status == Status.APPLIED and locked.credit_code_needs_override:
        if not accept_credit_code_warning:
            raise ValidationError(
                _(
                    "The credit code fails the organisation-code check (17th character): "
                    "compare it with the certificate and accept it to approve."
                ),
                code="credit_code_check_warning",
            )
        locked.credit_code_warning_accepted = True
    organisation, _from = _transition(
        locked,
        allowed_from=(Status.APPLIED,),
        to_status=Status.ACTIVE,
        reason=(reason or "").strip(),
        acting_user=acting_user,
    )
    _notify_applicants(
        organisation,
        decision="approved",
        reason=(reason or "").strip(),
        key=f"organisation:{organisation.pk}:approved",
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_reject(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """Staff turn an application down with a reason the applicant receives by e-mail."""
    require_staff(acting_user)
    reason = require_reason(reason)
    organisation = lock_organisation(organisation)
    organisation, _from = _transition(
        organisation,
        allowed_from=(Status.APPLIED,),
        to_status=Status.REJECTED,
        reason=reason,
        acting_user=acting_user,
    )
    _notify_applicants(
        organisation,
        decision="rejected",
        reason=reason,
        key=f"organisation:{organisation.pk}:rejected",
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_suspend(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """Staff suspend an active member (e.g. an unqualified inspection)."""
    require_staff(acting_user)
    reason = require_reason(reason)
    organisation = lock_organisation(organisation)
    organisation, _from = _transition(
        organisation,
        allowed_from=(Status.ACTIVE,),
        to_status=Status.SUSPENDED,
        reason=reason,
        acting_user=acting_user,
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_lapse(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """Staff record that a membership lapsed (no contact, no inspection, dissolved)."""
    require_staff(acting_user)
    reason = require_reason(reason)
    organisation = lock_organisation(organisation)
    organisation, _from = _transition(
        organisation,
        allowed_from=(Status.ACTIVE, Status.SUSPENDED),
        to_status=Status.LAPSED,
        reason=reason,
        acting_user=acting_user,
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_reinstate(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """Staff make a suspended or lapsed organisation an active member again."""
    require_staff(acting_user)
    reason = require_reason(reason)
    organisation = lock_organisation(organisation)
    organisation, _from = _transition(
        organisation,
        allowed_from=(Status.SUSPENDED, Status.LAPSED),
        to_status=Status.ACTIVE,
        reason=reason,
        acting_user=acting_user,
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_withdraw(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """The organisation leaves the federation (its org admin or staff decide)."""
    require_org_admin_or_staff(organisation, acting_user)
    reason = require_reason(reason)
    organisation = lock_organisation(organisation)
    organisation, _from = _transition(
        organisation,
        allowed_from=Organisation.WITHDRAWABLE_STATUSES,
        to_status=Status.WITHDRAWN,
        reason=reason,
        acting_user=acting_user,
    )
    return organisation
