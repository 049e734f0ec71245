"""Grant services: apply, review, approve (four eyes), pay, cancel, report."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.pagecache import page_cache_invalidates
from federation.models import Organisation, OrganisationMember, User

from ..models import (
    Account,
    Fund,
    Grant,
    GrantApproval,
    GrantAttachment,
    GrantProgress,
    JournalEntry,
    NumberSeries,
    Posting,
    validate_attachment,
)
from ..money import money
from . import _common
from .gifts import _bank_reference_add

DEBIT, CREDIT = Posting.Side.DEBIT, Posting.Side.CREDIT
APPROVALS_NEEDED = 2


def _is_org_admin(user: User, organisation_id: int) -> bool:
    return OrganisationMember.objects.filter(
        user=user, organisation_id=organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()


def _grant_create(
    *,
    fund: Fund,
    organisation: Organisation,
    kind: str,
    purpose: str,
    title: str,
    description: str,
    beneficiary_name: str,
    beneficiary_role: str,
    amount_requested: Decimal,
    project_starts_on: datetime.date,
    project_ends_on: datetime.date,
    attachments: list,
    applied_by: User | None,
    entered_by: User | None,
) -> Grant:
    _common._assert_in_transaction()
    amount_requested = money(amount_requested)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            _("Only active member organisations may apply."), code="organisation_not_active"
        )
    if kind not in Grant.Kind.values or purpose not in Grant.Purpose.values:
        raise ValidationError(_("Choose the kind and the purpose."), code="invalid_choice")
    if kind == Grant.Kind.TALENT and not beneficiary_name.strip():
        raise ValidationError(
            _("Name the staff member the grant is for."), code="beneficiary_missing"
        )
    if project_ends_on < project_starts_on:
        raise ValidationError(_("The end is before the start."), code="period_order")
    for upload in attachments:
        validate_attachment(upload)
    # A double-click or a resent form must not file the same application twice (the fund
    # row is locked by the caller, so two racing requests see each other here).
    duplicate = Grant.objects.filter(
        fund=fund,
        organisation=organisation,
        status__in=Grant.OPEN_STATUSES,
        kind=kind,
        title=title.strip(),
        amount_requested=amount_requested,
        beneficiary_name=beneficiary_name.strip() if kind == Grant.Kind.TALENT else "",
    ).first()
    if duplicate is not None:
        raise ValidationError(
            _("This application was sent already as %(number)s and is open.")
            % {"number": duplicate.number},
            code="duplicate_application",
        )
    now = timezone.now()
    year = timezone.localdate().year
    number = _common.next_number(fund, NumberSeries.Series.GRANT, year)
    grant = Grant.objects.create(
        fund=fund,
        number=f"{fund.code}-G-{year}-{number:03d}",
        organisation=organisation,
        kind=kind,
        purpose=purpose,
        title=title.strip(),
        description=description.strip(),
        beneficiary_name=beneficiary_name.strip() if kind == Grant.Kind.TALENT else "",
        beneficiary_role=beneficiary_role.strip(),
        amount_requested=amount_requested,
        project_starts_on=project_starts_on,
        project_ends_on=project_ends_on,
        applied_by=applied_by,
        entered_by=entered_by,
        submitted_at=now,
    )
    _attachments_add(grant, attachments, GrantAttachment.Kind.APPLICATION, applied_by or entered_by)
    return grant


def _attachments_add(grant: Grant, attachments: list, kind: str, user: User) -> None:
    for upload in attachments:
        validate_attachment(upload)
        GrantAttachment.objects.create(
            grant=grant, kind=kind, file=upload, original_name=upload.name[:200], uploaded_by=user
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_apply(
    *,
    fund: Fund,
    organisation: Organisation,
    kind: str,
    purpose: str,
    title: str,
    description: str,
    amount_requested: Decimal,
    project_starts_on: datetime.date,
    project_ends_on: datetime.date,
    beneficiary_name: str = "",
    beneficiary_role: str = "",
    attachments: list | None = None,
    acting_user: User,
) -> Grant:
    """An org admin applies for their organisation. Refuses others and inactive members."""
    if not _is_org_admin(acting_user, organisation.pk):
        raise ValidationError(_("Only the organisation's admins may apply."), code="not_allowed")
    fund = _common.fund_lock(fund)
    return _grant_create(
        fund=fund,
        organisation=organisation,
        kind=kind,
        purpose=purpose,
        title=title,
        description=description,
        beneficiary_name=beneficiary_name,
        beneficiary_role=beneficiary_role,
        amount_requested=amount_requested,
        project_starts_on=project_starts_on,
        project_ends_on=project_ends_on,
        attachments=attachments or [],
        applied_by=acting_user,
        entered_by=None,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_enter(
    *,
    fund: Fund,
    organisation: Organisation,
    kind: str,
    purpose: str,
    title: str,
    description: str,
    amount_requested: Decimal,
    project_starts_on: datetime.date,
    project_ends_on: datetime.date,
    beneficiary_name: str = "",
    beneficiary_role: str = "",
    attachments: list | None = None,
    acting_user: User,
) -> Grant:
    """A fund manager enters a paper application; they may then never approve it."""
    _common.require_manager(acting_user)
    fund = _common.fund_lock(fund)
    return _grant_create(
        fund=fund,
        organisation=organisation,
        kind=kind,
        purpose=purpose,
        title=title,
        description=description,
        beneficiary_name=beneficiary_name,
        beneficiary_role=beneficiary_role,
        amount_requested=amount_requested,
        project_starts_on=project_starts_on,
        project_ends_on=project_ends_on,
        attachments=attachments or [],
        applied_by=None,
        entered_by=acting_user,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_withdraw(*, grant: Grant, acting_user: User) -> Grant:
    """The organisation withdraws an application not yet decided."""
    grant = Grant.objects.select_for_update(no_key=True).get(pk=grant.pk)
    if not _is_org_admin(acting_user, grant.organisation_id):
        raise ValidationError(_("Only the organisation's admins may do this."), code="not_allowed")
    if grant.status not in Grant.OPEN_STATUSES:
        raise ValidationError(_("The application has been decided."), code="already_decided")
    grant.status = Grant.Status.WITHDRAWN
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_at"])
    return grant


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_review(
    *,
    grant: Grant,
    amount_approved: Decimal,
    report_due_on: datetime.date,
    note: str = "",
    acting_user: User,
) -> Grant:
    """Staff review: set the amount to approve and the final report date, before approvals."""
    _common.require_manager(acting_user)
    amount_approved = money(amount_approved)
    grant = Grant.objects.select_for_update(no_key=True).get(pk=grant.pk)
    if grant.status not in Grant.OPEN_STATUSES:
        raise ValidationError(_("The application has been decided."), code="already_decided")
    if grant.approvals.exists():
        raise ValidationError(
            _("Approvals have started; the review cannot change."), code="approvals_started"
        )
    if amount_approved > grant.amount_requested:
        raise ValidationError(
            _("More than the organisation asked for."), code="more_than_requested"
        )
    if report_due_on < grant.project_ends_on:
        raise ValidationError(
            _("The final report is due after the project ends."), code="report_before_end"
        )
    grant.amount_approved = amount_approved
    grant.report_due_on = report_due_on
    grant.review_note = note.strip()
    grant.reviewed_by = acting_user
    grant.reviewed_at = timezone.now()
    grant.status = Grant.Status.UNDER_REVIEW
    grant.save(
        update_fields=[
            "amount_approved",
            "report_due_on",
            "review_note",
            "reviewed_by",
            "reviewed_at",
            "status",
        ]
    )
    return grant


def _insufficient(available: Decimal, amount: Decimal) -> ValidationError:
    return ValidationError(
        _("The fund has %(available)s available, less than %(amount)s.")
        % {"available": available, "amount": amount},
        code="insufficient_funds",
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_approve(*, grant: Grant, acting_user: User) -> Grant:
    """Add one approval; the second (by another person) posts the commitment.

    Refuses: the applicant or the staff member who entered it, a second
    approval by the same person, anything not under review, and any approval
    the fund's available balance cannot cover (the fund row is locked, so
    concurrent approvals queue and never overdraw).
    """
    _common.require_manager(acting_user)
    fund = _common.fund_lock(grant.fund)
    grant = (
        Grant.objects.select_for_update(no_key=True, of=("self",))
        .select_related("organisation")
        .get(pk=grant.pk)
    )
    if grant.status != Grant.Status.UNDER_REVIEW:
        raise ValidationError(_("The grant is not under review."), code="not_under_review")
    if acting_user.pk in grant.requesters():
        raise ValidationError(
            _("Whoever applied for or entered a grant cannot approve it."),
            code="requester_cannot_approve",
        )
    if grant.approvals.filter(approver=acting_user).exists():
        raise ValidationError(
            _("You have approved this grant already; a second person must."),
            code="already_approved",
        )
    amount = grant.amount_approved
    available = _common.available_balance(fund)
    if available < amount:
        raise _insufficient(available, amount)
    now = timezone.now()
    GrantApproval.objects.create(grant=grant, approver=acting_user, approved_at=now)
    if grant.approvals.count() < APPROVALS_NEEDED:
        return grant
    expense_role = (
        Account.Role.TALENT_GRANT_EXPENSE
        if grant.kind == Grant.Kind.TALENT
        else Account.Role.PROJECT_GRANT_EXPENSE
    )
    entry = _common.entry_post(
        fund=fund,
        entry_on=timezone.localdate(),
        kind=JournalEntry.Kind.GRANT_COMMITMENT,
        description=_("Grant %(number)s approved: %(organisation)s")
        % {"number": grant.number, "organisation": grant.organisation.name},
        lines=[
            (_common.account_for(fund, expense_role), DEBIT, amount),
            (_common.account_for(fund, Account.Role.GRANTS_PAYABLE), CREDIT, amount),
        ],
        posted_by=acting_user,
        source_reference=grant.number,
    )
    grant.commitment_entry = entry
    grant.status = Grant.Status.APPROVED
    grant.decided_at = now
    grant.save(update_fields=["commitment_entry", "status", "decided_at"])
    _notify_decided(grant)
    return grant


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_reject(*, grant: Grant, reason: str, acting_user: User) -> Grant:
    """Refuse an open application, with the reason the organisation will read."""
    _common.require_manager(acting_user)
    grant = (
        Grant.objects.select_for_update(no_key=True, of=("self",))
        .select_related("organisation")
        .get(pk=grant.pk)
    )
    if grant.status not in Grant.OPEN_STATUSES:
        raise ValidationError(_("The application has been decided."), code="already_decided")
    if acting_user.pk in grant.requesters():
        raise ValidationError(
            _("Whoever applied for or entered a grant cannot decide it."),
            code="requester_cannot_approve",
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason."), code="reason_missing")
    grant.status = Grant.Status.REJECTED
    grant.decision_note = reason.strip()
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decision_note", "decided_at"])
    _notify_decided(grant)
    return grant


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_pay(
    *, grant: Grant, paid_on: datetime.date, bank_reference: str = "", acting_user: User
) -> Grant:
    """Post the disbursement of an approved grant (grants payable / cash)."""
    _common.require_manager(acting_user)
    fund = _common.fund_lock(grant.fund)
    grant = (
        Grant.objects.select_for_update(no_key=True, of=("self",))
        .select_related("organisation")
        .get(pk=grant.pk)
    )
    if grant.status != Grant.Status.APPROVED:
        raise ValidationError(_("Only an approved grant can be paid."), code="not_approved")
    if paid_on < grant.commitment_entry.entry_on:
        raise ValidationError(_("Paid before it was approved?"), code="paid_before_approval")
    entry = _common.entry_post(
        fund=fund,
        entry_on=paid_on,
        kind=JournalEntry.Kind.GRANT_PAYMENT,
        description=_("Grant %(number)s paid to %(organisation)s")
        % {"number": grant.number, "organisation": grant.organisation.name},
        lines=[
            (_common.account_for(fund, Account.Role.GRANTS_PAYABLE), DEBIT, grant.amount_approved),
            (_common.account_for(fund, Account.Role.CASH), CREDIT, grant.amount_approved),
        ],
        posted_by=acting_user,
        source_reference=bank_reference.strip() or grant.number,
    )
    _bank_reference_add(
        fund=fund,
        reference=bank_reference,
        entry=entry,
        amount=grant.amount_approved,
        payer=grant.organisation.name,
    )
    grant.payment_entry = entry
    grant.paid_on = paid_on
    grant.status = Grant.Status.PAID
    grant.save(update_fields=["payment_entry", "paid_on", "status"])
    return grant


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_cancel(*, grant: Grant, reason: str, acting_user: User) -> Grant:
    """Cancel an approved, unpaid grant: its commitment is reversed by a linked entry."""
    _common.require_manager(acting_user)
    fund = _common.fund_lock(grant.fund)
    grant = Grant.objects.select_for_update(no_key=True).get(pk=grant.pk)
    if grant.status != Grant.Status.APPROVED:
        raise ValidationError(
            _("Only an approved, unpaid grant can be cancelled."), code="not_approved"
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason."), code="reason_missing")
    entry = _common.entry_post(
        fund=fund,
        entry_on=timezone.localdate(),
        kind=JournalEntry.Kind.GRANT_CANCELLATION,
        description=_("Grant %(number)s cancelled: %(reason)s")
        % {"number": grant.number, "reason": reason.strip()},
        lines=_common.reversal_lines(grant.commitment_entry),
        posted_by=acting_user,
        source_reference=grant.commitment_entry.number,
    )
    grant.cancellation_entry = entry
    grant.status = Grant.Status.CANCELLED
    grant.decision_note = reason.strip()
    grant.save(update_fields=["cancellation_entry", "status", "decision_note"])
    return grant


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_report_submit(
    *, grant: Grant, text: str, attachments: list | None = None, acting_user: User
) -> Grant:
    """The organisation sends its final report on a paid grant."""
    grant = Grant.objects.select_for_update(no_key=True).get(pk=grant.pk)
    if not _is_org_admin(acting_user, grant.organisation_id):
        raise ValidationError(_("Only the organisation's admins may do this."), code="not_allowed")
    if grant.status != Grant.Status.PAID:
        raise ValidationError(_("A final report follows payment."), code="not_paid")
    if not text.strip():
        raise ValidationError(_("Write the report."), code="report_missing")
    _attachments_add(grant, attachments or [], GrantAttachment.Kind.REPORT, acting_user)
    grant.report_text = text.strip()
    grant.report_submitted_at = timezone.now()
    grant.status = Grant.Status.REPORTED
    grant.save(update_fields=["report_text", "report_submitted_at", "status"])
    return grant


@transaction.atomic(durable=True)
@page_cache_invalidates("funds")
def grant_progress_submit(
    *,
    grant: Grant,
    quarter_ends_on: datetime.date,
    summary: str,
    spent_amount: Decimal,
    acting_user: User,
) -> GrantProgress:
    """A quarter's progress on a long-running grant (organisation admin or fund manager)."""
    grant = Grant.objects.select_for_update(no_key=True).get(pk=grant.pk)
    if not (
        _is_org_admin(acting_user, grant.organisation_id)
        or acting_user.has_perm("funds.manage_fund")
    ):
        raise ValidationError(_("Only the organisation's admins may do this."), code="not_allowed")
    if grant.status not in (Grant.Status.APPROVED, Grant.Status.PAID, Grant.Status.REPORTED):
        raise ValidationError(_("Progress is reported on granted projects."), code="not_granted")
    if quarter_ends_on not in grant.quarter_ends(timezone.localdate()):
        raise ValidationError(
            _("Choose a quarter of the project that has ended."), code="not_a_quarter_end"
        )
    if grant.progress_reports.filter(quarter_ends_on=quarter_ends_on).exists():
        raise ValidationError(_("This quarter is reported already."), code="already_reported")
    if not summary.strip():
        raise ValidationError(_("Describe the progress."), code="summary_missing")
    return GrantProgress.objects.create(
        grant=grant,
        quarter_ends_on=quarter_ends_on,
        summary=summary.strip(),
        spent_amount=money(spent_amount, allow_zero=True),
        submitted_by=acting_user,
    )


def _notify_decided(grant: Grant) -> None:
    from notifications.services import message_enqueue

    if grant.applied_by_id:
        recipients = [grant.applied_by]
    else:
        recipients = [
            member.user
            for member in OrganisationMember.objects.select_related("user").filter(
                organisation_id=grant.organisation_id, role=OrganisationMember.Role.ADMIN
            )
        ]
    for user in recipients:
        message_enqueue(
            kind="grant_decided",
            recipient=user,
            template="funds/email/grant_decided",
            context={
                "grant_number": grant.number,
                "title": grant.title,
                "organisation": grant.organisation.name,
                "approved": grant.status == Grant.Status.APPROVED,
                "amount": grant.amount_approved,
                "reason": grant.decision_note,
                "report_due_on": grant.report_due_on,
                "url": absolute_url(reverse("funds:my-grant-detail", kwargs={"pk": grant.pk})),
            },
            dedupe_key=f"grant_decided:{grant.pk}:{user.pk}",
        )
