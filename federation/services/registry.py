"""Writes for the registry: applications, staff entries, profile edits, change requests.

Invariants owned here:
- a credit code is stored normalised, passes GB 32100 and is unique; a
  position-17 failure needs staff acceptance (or, for an application, the
  applicant's confirmation, then staff acceptance before approval);
- the applicant of an organisation becomes its org admin; staff hear of
  every application;
- once an organisation is a member, its org admins change the credit code or
  legal form only through a change request staff approve; one is pending at
  most (a newer one replaces it);
- the pinyin sort and search keys always match the names.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pagecache import page_cache_invalidates
from notifications.services import message_enqueue

from ..models import (
    STAFF_GROUP_NAME,
    Organisation,
    OrganisationChangeRequest,
    OrganisationMember,
    ServiceField,
    User,
)
from ._common import (
    REVIEWED_FIELDS,
    STAFF_ONLY_FIELDS,
    admin_change_url,
    apply_details,
    assert_in_transaction,
    check_credit_code_rules,
    is_org_admin,
    lock_organisation,
    record_membership_event,
    require_reason,
    require_staff,
    save_organisation,
    update_details,
    user_has_verified_email,
)

Status = Organisation.Status


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_apply(
    *,
    details: Mapping[str, Any],
    service_fields: Iterable[ServiceField] = (),
    credit_code_confirmed: bool = False,
    acting_user: User,
) -> Organisation:
    """Apply for membership: the organisation is "applied" and the applicant its org admin.

    Refuses without a verified e-mail (``email_unverified``) or while the
    applicant has another application pending (``application_pending``).
    """
    if not (acting_user and acting_user.is_authenticated):
        raise ValidationError(_("Log in to apply."), code="login_required")
    if not user_has_verified_email(acting_user, acting_user.email):
        raise ValidationError(_("Verify your e-mail address first."), code="email_unverified")
    # Lock the applicant: a double-clicked submit queues here and then finds the
    # first application pending instead of filing a second one.
    User.objects.select_for_update(no_key=True).filter(pk=acting_user.pk).first()
    if OrganisationMember.objects.filter(
        user=acting_user, organisation__status=Status.APPLIED
    ).exists():
        raise ValidationError(
            _("You already have an application waiting for review."), code="application_pending"
        )
    details = {key: value for key, value in details.items() if key not in STAFF_ONLY_FIELDS}
    organisation = Organisation(status=Status.APPLIED)
    apply_details(organisation, details)
    check_credit_code_rules(
        organisation,
        previous_code=None,
        accept_warning=False,
        confirmed_by_applicant=credit_code_confirmed,
        acting_user=acting_user,
    )
    save_organisation(organisation, service_fields=list(service_fields))
    OrganisationMember.objects.create(
        organisation=organisation, user=acting_user, role=OrganisationMember.Role.ADMIN
    )
    record_membership_event(
        organisation=organisation,
        from_status="",
        to_status=Status.APPLIED,
        reason="",
        acting_user=acting_user,
    )
    _notify_staff_of_application(organisation, applicant=acting_user)
    return organisation


def _notify_staff_of_application(organisation: Organisation, *, applicant: User) -> None:
    assert_in_transaction()
    context = {
        "organisation_name": organisation.name,
        "applicant_name": applicant.get_full_name(),
        "applicant_email": applicant.email,
        "url": admin_change_url(organisation),
    }
    staff = list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=STAFF_GROUP_NAME).distinct()
    )
    if not staff:
        message_enqueue(
            kind="membership_received",
            email=settings.YILU_CONTACT_EMAIL,
            template="federation/email/membership_received",
            context=context,
            language=settings.LANGUAGE_CODE,
            dedupe_key=f"membership_received:organisation:{organisation.pk}:office",
        )
    for user in staff:
        message_enqueue(
            kind="membership_received",
            recipient=user,
            template="federation/email/membership_received",
            context=context,
            dedupe_key=f"membership_received:organisation:{organisation.pk}:user:{user.pk}",
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_register(
    *,
    details: Mapping[str, Any],
    service_fields: Iterable[ServiceField] = (),
    status: str = Status.ACTIVE,
    org_admin: User | None = None,
    reason: str = "",
    accept_credit_code_warning: bool = False,
    acting_user: User,
) -> Organisation:
    """Staff enter an organisation directly (from paper records); members get a joining date."""
    require_staff(acting_user)
    if status not in Status.values:
        raise ValidationError(_("Unknown membership status."), code="invalid_status")
    organisation = Organisation(status=status)
    apply_details(organisation, details)
    if status == Status.ACTIVE and not organisation.joined_on:
        organisation.joined_on = timezone.localdate()
    check_credit_code_rules(
        organisation,
        previous_code=None,
        accept_warning=accept_credit_code_warning,
        confirmed_by_applicant=False,
        acting_user=acting_user,
    )
    save_organisation(organisation, service_fields=list(service_fields))
    if org_admin is not None:
        OrganisationMember.objects.create(
            organisation=organisation, user=org_admin, role=OrganisationMember.Role.ADMIN
        )
    record_membership_event(
        organisation=organisation,
        from_status="",
        to_status=status,
        reason=reason.strip(),
        acting_user=acting_user,
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_update(
    *,
    organisation: Organisation,
    details: Mapping[str, Any],
    service_fields: Iterable[ServiceField] | None = None,
    accept_credit_code_warning: bool = False,
    acting_user: User,
) -> Organisation:
    """Staff change any registry field (not the status: that is the lifecycle's)."""
    require_staff(acting_user)
    organisation = lock_organisation(organisation)
    update_details(
        organisation,
        details=details,
        service_fields=None if service_fields is None else list(service_fields),
        accept_credit_code_warning=accept_credit_code_warning,
        confirmed_by_applicant=False,
        acting_user=acting_user,
    )
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_profile_update(
    *,
    organisation: Organisation,
    details: Mapping[str, Any],
    service_fields: Iterable[ServiceField] | None = None,
    credit_code_confirmed: bool = False,
    acting_user: User,
) -> OrganisationChangeRequest | None:
    """An org admin edits the profile; returns the change request a new code or form needs.

    While the application is pending every field changes directly (staff
    review it all anyway). Afterwards a changed credit code or legal form
    waits in one pending change request (a newer one replaces it).
    """
    organisation = lock_organisation(organisation)
    if not is_org_admin(organisation, acting_user):
        raise ValidationError(
            _("Only an admin of this organisation may do this."), code="not_org_admin"
        )
    if organisation.status in (Status.REJECTED, Status.WITHDRAWN):
        raise ValidationError(_("This organisation is no longer a member."), code="wrong_state")
    details = {key: value for key, value in details.items() if key not in STAFF_ONLY_FIELDS}
    change_request = None
    if organisation.status != Status.APPLIED:
        reviewed = {key: details.pop(key) for key in REVIEWED_FIELDS if key in details}
        change_request = _change_request_replace(
            organisation,
            reviewed=reviewed,
            credit_code_confirmed=credit_code_confirmed,
            acting_user=acting_user,
        )
    update_details(
        organisation,
        details=details,
        service_fields=None if service_fields is None else list(service_fields),
        accept_credit_code_warning=False,
        confirmed_by_applicant=credit_code_confirmed,
        acting_user=acting_user,
    )
    return change_request


def _change_request_replace(
    organisation: Organisation,
    *,
    reviewed: Mapping[str, Any],
    credit_code_confirmed: bool,
    acting_user: User,
) -> OrganisationChangeRequest | None:
    assert_in_transaction()
    proposed = Organisation(
        credit_code=reviewed.get("credit_code", organisation.credit_code),
        legal_form=reviewed.get("legal_form", organisation.legal_form),
        credit_code_warning_accepted=organisation.credit_code_warning_accepted,
    )
    apply_details(proposed, {"credit_code": proposed.credit_code})
    if (proposed.credit_code, proposed.legal_form) == (
        organisation.credit_code,
        organisation.legal_form,
    ):
        return None
    check_credit_code_rules(
        proposed,
        previous_code=organisation.credit_code,
        accept_warning=False,
        confirmed_by_applicant=credit_code_confirmed,
        acting_user=acting_user,
    )
    if proposed.credit_code and (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(credit_code=proposed.credit_code)
        .exists()
    ):
        raise ValidationError(
            {
                "credit_code": ValidationError(
                    _("An organisation with this credit code already exists."),
                    code="credit_code_taken",
                )
            }
        )
    if proposed.legal_form == Organisation.LegalForm.COMMUNITY_GROUP and proposed.credit_code:
        raise ValidationError(
            {
                "credit_code": ValidationError(
                    _("Filed community groups have no credit code."),
                    code="community_group_credit_code",
                )
            }
        )
    OrganisationChangeRequest.objects.filter(
        organisation=organisation, status=OrganisationChangeRequest.Status.PENDING
    ).update(status=OrganisationChangeRequest.Status.WITHDRAWN)
    change_request = OrganisationChangeRequest(
        organisation=organisation,
        credit_code=proposed.credit_code,
        legal_form=proposed.legal_form,
        requested_by=acting_user,
    )
    change_request.full_clean()
    change_request.save()
    return change_request


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_change_request_approve(
    *,
    change_request: OrganisationChangeRequest,
    accept_credit_code_warning: bool = False,
    acting_user: User,
) -> Organisation:
    """Staff apply a pending change of credit code / legal form."""
    require_staff(acting_user)
    organisation = lock_organisation(change_request.organisation)
    change_request = OrganisationChangeRequest.objects.get(pk=change_request.pk)
    if change_request.status != OrganisationChangeRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="wrong_state")
    update_details(
        organisation,
        details={
            "credit_code": change_request.credit_code,
            "legal_form": change_request.legal_form,
        },
        service_fields=None,
        accept_credit_code_warning=accept_credit_code_warning,
        confirmed_by_applicant=False,
        acting_user=acting_user,
    )
    change_request.status = OrganisationChangeRequest.Status.APPROVED
    change_request.decided_by = acting_user
    change_request.decided_at = timezone.now()
    change_request.save(update_fields=["status", "decided_by", "decided_at"])
    return organisation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def organisation_change_request_reject(
    *, change_request: OrganisationChangeRequest, reason: str, acting_user: User
) -> OrganisationChangeRequest:
    """Staff turn a pending change down, with a reason; the registry stays as it was."""
    require_staff(acting_user)
    reason = require_reason(reason)
    lock_organisation(change_request.organisation)
    change_request = OrganisationChangeRequest.objects.get(pk=change_request.pk)
    if change_request.status != OrganisationChangeRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="wrong_state")
    change_request.status = OrganisationChangeRequest.Status.REJECTED
    change_request.decided_by = acting_user
    change_request.decided_at = timezone.now()
    change_request.decision_reason = reason
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return change_request
