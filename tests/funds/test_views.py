"""Page wiring and permissions: managers post, auditors read, organisations see their own."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from funds import services
from funds.models import CharitySale, ClosedPeriod, Donation, Grant, JournalEntry
from tests.federation.factories import (
    OrgAdminFactory,
    OrganisationMemberFactory,
    StaffFactory,
    UserFactory,
)

from .factories import give, grant_under_review, past_day

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/fund/manage/SBF/",
    "/fund/manage/SBF/ledger/",
    "/fund/manage/SBF/trial-balance/",
    "/fund/manage/SBF/donations/",
    "/fund/manage/SBF/charity-sales/",
    "/fund/manage/SBF/pledges/",
    "/fund/manage/SBF/grants/",
    "/fund/manage/SBF/periods/",
    "/fund/manage/SBF/exports/ledger.xlsx",
    "/fund/manage/SBF/exports/trial-balance.xlsx",
    "/fund/manage/SBF/exports/income-expense.xlsx",
]
WRITE_PAGES = [
    "/fund/manage/SBF/donations/new/",
    "/fund/manage/SBF/charity-sales/new/",
    "/fund/manage/SBF/performances/new/",
    "/fund/manage/SBF/pledges/new/",
    "/fund/manage/SBF/grants/new/",
    "/fund/manage/SBF/ledger/new/",
    "/fund/manage/SBF/bank-import/",
]


def test_anonymous_visitors_are_sent_to_log_in(client, fund):
    response = client.get("/fund/manage/SBF/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["plain_staff", "org_user"])
def test_other_staff_and_org_users_see_only_the_public_pages(client, fund, who):
    org_admin = OrgAdminFactory().user
    user = StaffFactory() if who == "plain_staff" else org_admin
    client.force_login(user)
    for url in READ_PAGES + WRITE_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.get("/fund/").status_code == 200


def test_auditors_read_everything_and_change_nothing(client, fund, auditor, manager):
    donation = give(fund, manager)
    client.force_login(auditor)
    for url in READ_PAGES + [f"/fund/manage/SBF/ledger/{donation.entry.number}/"]:
        assert client.get(url).status_code == 200, url
    for url in WRITE_PAGES:
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/fund/manage/SBF/ledger/{donation.entry.number}/reverse/", {"reason": "x"}
    )
    assert response.status_code == 403
    assert client.post("/fund/manage/SBF/periods/", {"year": 2020}).status_code == 403
    assert not ClosedPeriod.objects.exists()


def test_manager_pages_render(client, fund, manager):
    client.force_login(manager)
    for url in READ_PAGES + WRITE_PAGES:
        assert client.get(url).status_code == 200, url


def test_exports_are_xlsx(client, fund, manager, auditor):
    give(fund, manager)
    client.force_login(auditor)
    response = client.get(f"/fund/manage/SBF/exports/ledger.xlsx?year={past_day().year}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3  # header and two postings


def test_donation_form_posts_and_letter_pdf(client, fund, manager):
    client.force_login(manager)
    response = client.post(
        "/fund/manage/SBF/donations/new/",
        {
            "donor_type": "individual",
            "donor_name": "赵爱心",
            "public_display": "named",
            "form": "money",
            "amount": "888.80",
            "channel": "bank_transfer",
            "received_on": past_day().isoformat(),
            "receipt_status": "pending",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.amount == Decimal("888.80") and donation.donor.name == "赵爱心"
    response = client.post(f"/fund/manage/SBF/letters/donation/{donation.pk}/")
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"


def test_donation_form_shows_service_refusals(client, fund, manager):
    client.force_login(manager)
    response = client.post(
        "/fund/manage/SBF/donations/new/",
        {
            "donor_type": "anonymous",
            "form": "money",
            "amount": "10.00",
            "channel": "cash",
            "received_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "receipt_status": "pending",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Donation.objects.exists()


def test_charity_sale_is_previewed_before_it_is_saved(client, fund, manager):
    client.force_login(manager)
    data = {
        "donor_type": "company",
        "donor_name": "上海塞沃斯户外用品（SWS）",
        "public_display": "named",
        "title": "首场爱心义卖",
        "starts_on": past_day(14).isoformat(),
        "ends_on": past_day(10).isoformat(),
        "turnover": "180000",
        "share_percent": "20",
        "received_on": past_day(9).isoformat(),
        "submission_key": str(uuid.uuid4()),
    }
    client.cookies["django_language"] = "en"
    preview = client.post("/fund/manage/SBF/charity-sales/new/", data)
    assert preview.status_code == 200
    assert preview.context["proceeds"] == Decimal("36000.00")
    assert "¥36,000.00" in preview.content.decode()
    assert not CharitySale.objects.exists()
    confirm = client.post(
        "/fund/manage/SBF/charity-sales/new/",
        {**data, "expected_proceeds": "36000.00", "confirm": "1"},
    )
    assert confirm.status_code == 302
    assert CharitySale.objects.get().proceeds == Decimal("36000.00")


def test_manual_entry_reverse_and_close_year(client, fund, manager):
    client.force_login(manager)
    accounts = {account.role: account.pk for account in fund.accounts.all()}
    response = client.post(
        "/fund/manage/SBF/ledger/new/",
        {
            "entry_on": past_day().isoformat(),
            "description": "期初余额",
            "source_reference": "",
            "submission_key": str(uuid.uuid4()),
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "2",
            "lines-MAX_NUM_FORMS": "20",
            "lines-0-account": accounts["cash"],
            "lines-0-side": "debit",
            "lines-0-amount": "100.00",
            "lines-1-account": accounts["opening_balance"],
            "lines-1-side": "credit",
            "lines-1-amount": "100.00",
        },
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    response = client.post(f"/fund/manage/SBF/ledger/{entry.number}/reverse/", {"reason": "测试"})
    assert response.status_code == 302
    assert entry.reversed_by
    response = client.post(
        "/fund/manage/SBF/periods/", {"year": timezone.localdate().year - 1, "confirm": "on"}
    )
    assert response.status_code == 302
    assert ClosedPeriod.objects.filter(year=timezone.localdate().year - 1).exists()


def test_grant_decisions_through_the_pages(client, fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="400.00")
    url = f"/fund/manage/SBF/grants/{grant.pk}/"
    client.force_login(manager)
    assert client.get(url).status_code == 200
    client.post(url + "approve/")
    client.post(url + "approve/")  # the same person again: refused, shown as a message
    grant.refresh_from_db()
    assert grant.status == Grant.Status.UNDER_REVIEW and grant.approvals.count() == 1
    client.force_login(manager2)
    client.post(url + "approve/")
    client.post(url + "pay/", {"paid_on": timezone.localdate().isoformat()})
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PAID
    assert client.post(url + "nonsense/").status_code == 404


def test_bank_import_page(client, fund, manager):
    client.force_login(manager)
    statement = SimpleUploadedFile(
        "s.csv", "date,reference,amount,payer,memo\n2024-01-01,Z-1,5.00,某人,无\n".encode()
    )
    response = client.post("/fund/manage/SBF/bank-import/", {"statement": statement})
    assert response.status_code == 200
    assert response.context["row_errors"]


# --- /my/grants/ ---------------------------------------------------------------------


def _application(**overrides):
    today = timezone.localdate()
    return {
        "kind": "talent",
        "purpose": "staff_development",
        "title": "社工督导进修",
        "description": "参加为期三个月的督导培训。",
        "beneficiary_name": "李小红",
        "beneficiary_role": "一线社工",
        "amount_requested": "3000.00",
        "project_starts_on": today.isoformat(),
        "project_ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        **overrides,
    }


def test_org_admin_applies_and_sees_only_their_own(client, fund, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    client.force_login(org_admin)
    response = client.post(
        "/my/grants/new/",
        {**_application(), "attachment": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert grant.organisation == organisation and grant.applied_by == org_admin
    assert client.get("/my/grants/").status_code == 200
    assert client.get(f"/my/grants/{grant.pk}/").status_code == 200
    attachment = grant.attachments.get()
    assert client.get(f"/my/grants/files/{attachment.pk}/").status_code == 200

    other_admin = OrgAdminFactory(organisation__street=organisation.street).user
    client.force_login(other_admin)
    assert client.get(f"/my/grants/{grant.pk}/").status_code == 404
    assert client.get(f"/my/grants/files/{attachment.pk}/").status_code == 404
    assert client.post(f"/my/grants/{grant.pk}/withdraw/").status_code == 404
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED


def test_org_members_read_but_do_not_apply(client, fund, organisation):
    member = UserFactory()
    OrganisationMemberFactory(organisation=organisation, user=member)
    client.force_login(member)
    assert client.get("/my/grants/").status_code == 200
    assert client.get("/my/grants/new/").status_code == 404


def test_org_admin_withdraws_and_reports(client, fund, manager, manager2, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)
    services.grant_pay(grant=grant, paid_on=timezone.localdate(), acting_user=manager)
    client.force_login(org_admin)
    response = client.post(f"/my/grants/{grant.pk}/report/", {"text": "进修结业，附证书。"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REPORTED


@pytest.mark.parametrize("count", [5, 50])
def test_staff_lists_do_not_grow_queries_with_data(
    client, fund, manager, auditor, django_assert_max_num_queries, count
):
    for _index in range(count):
        give(fund, manager, amount="1.00")
    client.force_login(auditor)
    for url in (
        "/fund/manage/SBF/ledger/",
        "/fund/manage/SBF/donations/",
        "/fund/manage/SBF/",
        "/fund/manage/SBF/trial-balance/",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
