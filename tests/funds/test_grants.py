"""Grants: application, review, four eyes, commitment, payment, never overdrawn."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from funds import services
from funds.models import Grant, GrantApproval, JournalEntry, Posting
from funds.selectors import fund_summary
from funds.services._common import available_balance
from notifications.models import Message
from tests.federation.factories import OrgAdminFactory, OrganisationMemberFactory
from tests.funds.factories import FundManagerFactory

from .factories import give, grant_under_review

pytestmark = pytest.mark.django_db


def _balance(fund, role):
    return Posting.objects.filter(account__fund=fund, account__role=role).debit_minus_credit()


def test_two_different_managers_approve_and_the_commitment_is_posted(
    fund, manager, manager2, organisation
):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="600.00")

    grant = services.grant_approve(grant=grant, acting_user=manager)
    assert grant.status == Grant.Status.UNDER_REVIEW
    assert grant.commitment_entry is None
    with pytest.raises(ValidationError) as exc:
        services.grant_approve(grant=grant, acting_user=manager)
    assert exc.value.code == "already_approved"

    grant = services.grant_approve(grant=grant, acting_user=manager2)
    assert grant.status == Grant.Status.APPROVED
    assert grant.commitment_entry.kind == JournalEntry.Kind.GRANT_COMMITMENT
    assert _balance(fund, "talent_grant_expense") == Decimal("600.00")
    assert _balance(fund, "grants_payable") == Decimal("-600.00")
    assert available_balance(fund) == Decimal("400.00")
    decided = Message.objects.filter(kind="grant_decided")
    assert list(decided.values_list("recipient", flat=True)) == [org_admin.pk]

    with pytest.raises(ValidationError) as exc:
        services.grant_approve(grant=grant, acting_user=FundManagerFactory())
    assert exc.value.code == "not_under_review"

    grant = services.grant_pay(
        grant=grant, paid_on=timezone.localdate(), bank_reference="PAY-1", acting_user=manager
    )
    assert grant.status == Grant.Status.PAID
    assert _balance(fund, "grants_payable") == Decimal("0.00")
    assert _balance(fund, "cash") == Decimal("400.00")
    assert available_balance(fund) == Decimal("400.00")


def test_the_staff_member_who_entered_a_grant_can_never_approve_it(
    fund, manager, manager2, organisation
):
    give(fund, manager, amount="1000.00")
    today = timezone.localdate()
    grant = services.grant_enter(
        fund=fund,
        organisation=organisation,
        kind=Grant.Kind.PROJECT,
        purpose=Grant.Purpose.COMMUNITY_PROJECT,
        title="社区睦邻项目",
        description="纸质申请录入",
        amount_requested=Decimal("300.00"),
        project_starts_on=today,
        project_ends_on=today + datetime.timedelta(days=60),
        acting_user=manager,
    )
    services.grant_review(
        grant=grant,
        amount_approved=Decimal("300.00"),
        report_due_on=today + datetime.timedelta(days=90),
        acting_user=manager,
    )
    for attempt in (services.grant_approve, services.grant_reject):
        kwargs = {"reason": "x"} if attempt is services.grant_reject else {}
        with pytest.raises(ValidationError) as exc:
            attempt(grant=grant, acting_user=manager, **kwargs)
        assert exc.value.code == "requester_cannot_approve"
    services.grant_approve(grant=grant, acting_user=manager2)
    assert GrantApproval.objects.filter(grant=grant).count() == 1


def test_an_applicant_who_is_also_a_fund_manager_cannot_approve(
    fund, manager, manager2, organisation
):
    OrgAdminFactory(organisation=organisation, user=manager2)
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, manager2, organisation, manager, amount="100.00")
    with pytest.raises(ValidationError) as exc:
        services.grant_approve(grant=grant, acting_user=manager2)
    assert exc.value.code == "requester_cannot_approve"


def test_approval_cannot_overdraw_the_available_balance(fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="500.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="500.01")
    with pytest.raises(ValidationError) as exc:
        services.grant_approve(grant=grant, acting_user=manager)
    assert exc.value.code == "insufficient_funds"
    assert not GrantApproval.objects.exists()


def test_review_rules(fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    with pytest.raises(ValidationError) as exc:
        services.grant_review(
            grant=grant,
            amount_approved=Decimal("100.01"),
            report_due_on=grant.report_due_on,
            acting_user=manager,
        )
    assert exc.value.code == "more_than_requested"
    with pytest.raises(ValidationError) as exc:
        services.grant_review(
            grant=grant,
            amount_approved=Decimal("100.00"),
            report_due_on=grant.project_ends_on - datetime.timedelta(days=1),
            acting_user=manager,
        )
    assert exc.value.code == "report_before_end"
    give(fund, manager, amount="100.00")
    services.grant_approve(grant=grant, acting_user=manager2)
    with pytest.raises(ValidationError) as exc:
        services.grant_review(
            grant=grant,
            amount_approved=Decimal("50.00"),
            report_due_on=grant.report_due_on,
            acting_user=manager,
        )
    assert exc.value.code == "approvals_started"


def test_only_org_admins_apply_with_valid_attachments(fund, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    from tests.federation.factories import UserFactory

    member = UserFactory()
    OrganisationMemberFactory(organisation=organisation, user=member)
    today = timezone.localdate()
    base = dict(
        fund=fund,
        organisation=organisation,
        kind=Grant.Kind.PROJECT,
        purpose=Grant.Purpose.TRAINING,
        title="培训",
        description="x",
        amount_requested=Decimal("100.00"),
        project_starts_on=today,
        project_ends_on=today,
    )
    with pytest.raises(ValidationError) as exc:
        services.grant_apply(acting_user=member, **base)
    assert exc.value.code == "not_allowed"
    with pytest.raises(ValidationError) as exc:
        services.grant_apply(
            acting_user=org_admin,
            attachments=[SimpleUploadedFile("x.exe", b"MZ")],
            **base,
        )
    assert exc.value.code == "attachment_type"
    with pytest.raises(ValidationError) as exc:
        services.grant_apply(acting_user=org_admin, **{**base, "kind": Grant.Kind.TALENT})
    assert exc.value.code == "beneficiary_missing"
    grant = services.grant_apply(
        acting_user=org_admin,
        attachments=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")],
        **base,
    )
    assert grant.number == f"SBF-G-{today.year}-001"
    assert grant.attachments.get().original_name == "plan.pdf"


def test_reject_withdraw_cancel_and_report(fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="1000.00")
    rejected = grant_under_review(fund, org_admin, organisation, manager, amount="10.00")
    services.grant_reject(grant=rejected, reason="材料不全", acting_user=manager2)
    rejected.refresh_from_db()
    assert rejected.status == Grant.Status.REJECTED

    withdrawn = grant_under_review(fund, org_admin, organisation, manager, amount="10.00")
    services.grant_withdraw(grant=withdrawn, acting_user=org_admin)
    with pytest.raises(ValidationError) as exc:
        services.grant_withdraw(grant=withdrawn, acting_user=org_admin)
    assert exc.value.code == "already_decided"

    cancelled = grant_under_review(fund, org_admin, organisation, manager, amount="200.00")
    services.grant_approve(grant=cancelled, acting_user=manager)
    services.grant_approve(grant=cancelled, acting_user=manager2)
    cancelled = services.grant_cancel(grant=cancelled, reason="项目取消", acting_user=manager)
    assert cancelled.cancellation_entry.source_reference == cancelled.commitment_entry.number
    assert available_balance(fund) == Decimal("1000.00")
    assert _balance(fund, "talent_grant_expense") == Decimal("0.00")

    paid = grant_under_review(fund, org_admin, organisation, manager, amount="300.00")
    services.grant_approve(grant=paid, acting_user=manager)
    services.grant_approve(grant=paid, acting_user=manager2)
    with pytest.raises(ValidationError) as exc:
        services.grant_report_submit(grant=paid, text="x", acting_user=org_admin)
    assert exc.value.code == "not_paid"
    services.grant_pay(grant=paid, paid_on=timezone.localdate(), acting_user=manager)
    with pytest.raises(ValidationError) as exc:
        services.grant_cancel(grant=paid, reason="x", acting_user=manager)
    assert exc.value.code == "not_approved"
    paid = services.grant_report_submit(
        grant=paid, text="进修完成，证书附后。", acting_user=org_admin
    )
    assert paid.status == Grant.Status.REPORTED
    # Grant entries are corrected through the grant, never by a bare reversal.
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_reverse(entry=paid.payment_entry, reason="x", acting_user=manager)
    assert exc.value.code == "grant_entry"
    summary = fund_summary(fund=fund)
    assert summary.expense == Decimal("300.00")
    assert summary.cash == Decimal("700.00")


def test_quarterly_progress_for_a_long_running_project(fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="5000.00", days_ago=300)
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=250)
    grant = grant_under_review(
        fund,
        org_admin,
        organisation,
        manager,
        amount="3000.00",
        kind=Grant.Kind.PROJECT,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=365),
    )
    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)
    grant.refresh_from_db()
    assert grant.is_long_running
    quarters = grant.quarter_ends(today)
    assert len(quarters) >= 2
    report = services.grant_progress_submit(
        grant=grant,
        quarter_ends_on=quarters[0],
        summary="完成两期培训",
        spent_amount=Decimal("800.00"),
        acting_user=org_admin,
    )
    assert report.quarter_ends_on == quarters[0]
    with pytest.raises(ValidationError) as exc:
        services.grant_progress_submit(
            grant=grant,
            quarter_ends_on=quarters[0],
            summary="again",
            spent_amount=Decimal("1.00"),
            acting_user=org_admin,
        )
    assert exc.value.code == "already_reported"
    with pytest.raises(ValidationError) as exc:
        services.grant_progress_submit(
            grant=grant,
            quarter_ends_on=today + datetime.timedelta(days=1),
            summary="future",
            spent_amount=Decimal("1.00"),
            acting_user=org_admin,
        )
    assert exc.value.code == "not_a_quarter_end"


# --- PostgreSQL --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_overdraw(postgres_only, fund, organisation):
    """Several grants each waiting for their second approval race for too little money."""
    org_admin = OrgAdminFactory(organisation=organisation).user
    first = FundManagerFactory()
    give(fund, first, amount="1000.00")
    rounds = 8
    grants = []
    for index in range(rounds):
        grant = grant_under_review(
            fund, org_admin, organisation, first, amount="300.00", title=f"一线社工进修 {index}"
        )
        services.grant_approve(grant=grant, acting_user=first)
        grants.append(grant)
    seconds = [FundManagerFactory() for _index in range(rounds)]
    barrier = threading.Barrier(rounds)
    outcomes = []

    def approve(grant, user):
        try:
            barrier.wait()
            services.grant_approve(grant=grant, acting_user=user)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(grant, user))
        for grant, user in zip(grants, seconds, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["approved"] * 3 + ["insufficient_funds"] * 5
    assert available_balance(fund) == Decimal("100.00")
    assert Grant.objects.filter(status=Grant.Status.APPROVED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_approval_by_the_applicant(postgres_only, fund, manager, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="10.00")
    with pytest.raises(IntegrityError, match="four_eyes"), transaction.atomic():
        GrantApproval.objects.create(grant=grant, approver=org_admin, approved_at=timezone.now())


def test_grant_decided_messages_render(fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    from django.utils import translation

    from notifications.rendering import message_render

    give(fund, manager, amount="100.00")
    approved = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    services.grant_approve(grant=approved, acting_user=manager)
    services.grant_approve(grant=approved, acting_user=manager2)
    rejected = grant_under_review(fund, org_admin, organisation, manager, amount="5.00")
    services.grant_reject(grant=rejected, reason="材料不全", acting_user=manager)
    with translation.override("en"):
        for grant, words in ((approved, "approved"), (rejected, "not approved")):
            message = Message.objects.get(
                kind="grant_decided", dedupe_key__contains=f":{grant.pk}:"
            )
            message.language = "en"
            rendered = message_render(message)
            assert grant.number in rendered.subject and words in rendered.subject
            assert f"/my/grants/{grant.pk}/" in rendered.text
