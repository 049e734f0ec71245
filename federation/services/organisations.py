"""Writes for the registry and the membership lifecycle.

Invariants owned here:
- the lifecycle is applied → active → (suspended | lapsed | withdrawn), or
  applied → rejected; suspended and lapsed members may be reinstated; every
  change is one MembershipEvent (who, when, from, to, reason);
- only staff approve, reject, suspend, lapse or reinstate; an org admin may
  withdraw their own organisation; every change but approval needs a reason;
- a credit code is stored normalised, passes GB 32100 and is unique; a
  position-17 failure needs staff acceptance before the organisation becomes
  or stays a member with it;
- once an organisation is a member, its org admins change the credit code or
  legal form only through a change request staff approve;
- the pinyin sort and search keys always match the names;
- an import is all-or-nothing and writes nothing for rows that did not change.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    absolute_url,
    admin_change_url,
    apply_details,
    assert_in_transaction,
    check_credit_code_rules,
    is_org_admin,
    lock_organisation,
    record_membership_event,
    require_org_admin_or_staff,
    require_reason,
    require_staff,
    save_organisation,
    service_fields_differ,
    snapshot,
    user_has_verified_email,
)

Status = Organisation.Status


# --- Registry --------------------------------------------------------------


@transaction.atomic(durable=True)
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
    _update_details(
        organisation,
        details=details,
        service_fields=None if service_fields is None else list(service_fields),
        accept_credit_code_warning=accept_credit_code_warning,
        confirmed_by_applicant=False,
        acting_user=acting_user,
    )
    return organisation


def _update_details(
    organisation: Organisation,
    *,
    details: Mapping[str, Any],
    service_fields: list[ServiceField] | None,
    accept_credit_code_warning: bool,
    confirmed_by_applicant: bool,
    acting_user: User,
) -> bool:
    """Write ``details`` to a locked organisation; False (and no write) when nothing changes."""
    assert_in_transaction()
    before = snapshot(organisation)
    apply_details(organisation, details)
    check_credit_code_rules(
        organisation,
        previous_code=before["credit_code"],
        accept_warning=accept_credit_code_warning,
        confirmed_by_applicant=confirmed_by_applicant,
        acting_user=acting_user,
    )
    changed = snapshot(organisation) != before
    fields_changed = service_fields_differ(organisation, service_fields)
    if not changed and not fields_changed:
        return False
    save_organisation(organisation, service_fields=service_fields if fields_changed else None)
    return True


@transaction.atomic(durable=True)
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
    _update_details(
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
    _update_details(
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


# --- Membership lifecycle --------------------------------------------------


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
def organisation_withdraw(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """The organisation leaves the federation (its org admin or staff decide)."""
    require_org_admin_or_staff(organisation, acting_user)
    reason = require_reason(reason)
    organisation = lock_organisation(organisation)
    organisation, _from = _transition(
        organisation,
        allowed_from=(Status.ACTIVE, Status.SUSPENDED, Status.LAPSED),
        to_status=Status.WITHDRAWN,
        reason=reason,
        acting_user=acting_user,
    )
    return organisation


# --- Import ----------------------------------------------------------------


@dataclass
class OrganisationImportEntry:
    """One checked spreadsheet row: an existing organisation's id (or None) and its values."""

    organisation_id: int | None
    details: dict[str, Any]
    service_field_ids: list[int] | None = None
    status: str = Status.ACTIVE
    accept_credit_code_warning: bool = False
    row_number: int = 0


@dataclass
class OrganisationImportOutcome:
    organisation: Organisation
    created: bool
    changed: bool
    row_number: int = 0
    errors: list = field(default_factory=list)


@transaction.atomic(durable=True)
def organisation_import(
    *, entries: list[OrganisationImportEntry], acting_user: User
) -> list[OrganisationImportOutcome]:
    """Create or update every row, or nothing: any refusal rolls the whole import back.

    Rows equal to the registry change nothing (re-importing a file is a
    no-op). An existing organisation's membership status is not changed by
    an import (``status_change``): that goes through the lifecycle.
    """
    if not (acting_user and acting_user.has_perm("federation.import_organisation")):
        raise ValidationError(_("You may not import organisations."), code="not_allowed")
    require_staff(acting_user)
    ids = sorted(entry.organisation_id for entry in entries if entry.organisation_id)
    locked = {
        organisation.pk: organisation
        for organisation in Organisation.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }
    fields_by_id = {service_field.pk: service_field for service_field in ServiceField.objects.all()}
    outcomes = []
    for entry in entries:
        service_fields = (
            None
            if entry.service_field_ids is None
            else [fields_by_id[pk] for pk in entry.service_field_ids]
        )
        try:
            if entry.organisation_id:
                organisation = locked[entry.organisation_id]
                if entry.status and entry.status != organisation.status:
                    raise ValidationError(
                        _(
                            "The membership status of an existing organisation changes in the "
                            "back office, not by import."
                        ),
                        code="status_change",
                    )
                changed = _update_details(
                    organisation,
                    details=entry.details,
                    service_fields=service_fields,
                    accept_credit_code_warning=entry.accept_credit_code_warning,
                    confirmed_by_applicant=False,
                    acting_user=acting_user,
                )
                outcomes.append(
                    OrganisationImportOutcome(organisation, False, changed, entry.row_number)
                )
            else:
                organisation = Organisation(status=entry.status or Status.ACTIVE)
                apply_details(organisation, entry.details)
                if organisation.status == Status.ACTIVE and not organisation.joined_on:
                    organisation.joined_on = timezone.localdate()
                check_credit_code_rules(
                    organisation,
                    previous_code=None,
                    accept_warning=entry.accept_credit_code_warning,
                    confirmed_by_applicant=False,
                    acting_user=acting_user,
                )
                save_organisation(organisation, service_fields=service_fields or [])
                record_membership_event(
                    organisation=organisation,
                    from_status="",
                    to_status=organisation.status,
                    reason=str(_("imported")),
                    acting_user=acting_user,
                )
                outcomes.append(
                    OrganisationImportOutcome(organisation, True, True, entry.row_number)
                )
        except ValidationError as error:
            # Name the row: the caller shows it and nothing of the import stays.
            raise ValidationError(
                _("Row %(row)s: %(error)s"),
                code="import_row_invalid",
                params={"row": entry.row_number, "error": "; ".join(error.messages)},
            ) from error
    return outcomes
