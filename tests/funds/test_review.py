"""Second-round review: probing, bad input, attachments, confirmations, approvals."""

import datetime
import io
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from funds import services
from funds.models import Grant, GrantAttachment, validate_attachment
from tests.federation.factories import OrgAdminFactory, StaffFactory

from .factories import give, grant_under_review

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _application(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "kind": Grant.Kind.PROJECT,
        "purpose": Grant.Purpose.COMMUNITY_PROJECT,
        "title": "社区老人助餐",
        "description": "为独居老人送餐。",
        "amount_requested": "3000.00",
        "project_starts_on": today.isoformat(),
        "project_ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        **overrides,
    }


def test_donation_and_instalment_ids_cannot_be_probed_without_permission(client, fund, manager):
    donation = give(fund, manager, amount="10.00")
    existing = f"/fund/manage/SBF/donations/{donation.pk}/receipt/"
    missing = f"/fund/manage/SBF/donations/{donation.pk + 999}/receipt/"
    instalment = "/fund/manage/SBF/instalments/999/receive/"
    for url in (existing, missing, instalment):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(StaffFactory())
    for url in (existing, missing, instalment):
        assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(existing).status_code == 200
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("plan.pdf", b"MZ not a pdf", "attachment_content"),
        ("photo.png", b"%PDF-1.4 a pdf renamed", "attachment_content"),
        ("photo.jpg", _png(), "attachment_content"),
        ("budget.xlsx", b"plain text", "attachment_content"),
        ("tool.exe", b"MZ", "attachment_type"),
    ],
)
def test_attachment_content_must_match_its_type(name, content, code):
    with pytest.raises(ValidationError) as exc:
        validate_attachment(SimpleUploadedFile(name, content))
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.pdf", b"%PDF-1.7 plan"), ("photo.png", _png()), ("plan.docx", _docx())],
)
def test_real_attachments_pass_and_can_be_read_again(name, content):
    upload = SimpleUploadedFile(name, content)
    validate_attachment(upload)
    assert upload.read() == content  # the check rewinds the file before it is stored


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("amount_requested", "0", "min_value"),
        ("amount_requested", "-5", "min_value"),
        ("amount_requested", "1.234", "max_decimal_places"),
        ("amount_requested", "abc", "invalid"),
        ("amount_requested", "NaN", "invalid"),
        ("amount_requested", "99999999999999", "max_whole_digits"),
        ("project_starts_on", "2026-13-01", "invalid"),
        ("attachment", SimpleUploadedFile("plan.exe", b"MZ"), "attachment_type"),
        ("attachment", SimpleUploadedFile("plan.pdf", b"MZ"), "attachment_content"),
    ],
)
def test_grant_application_bad_input_is_refused_on_its_field(client, fund, field, value, code):
    org_admin = OrgAdminFactory().user
    client.force_login(org_admin)
    response = client.post("/my/grants/new/", _application(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors[field]] == [code]
    assert not Grant.objects.exists() and not GrantAttachment.objects.exists()


def test_grant_application_with_a_real_image_is_stored(client, fund):
    org_admin = OrgAdminFactory().user
    client.force_login(org_admin)
    upload = SimpleUploadedFile("site.png", _png())
    response = client.post("/my/grants/new/", _application(attachment=upload))
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert grant.amount_requested == Decimal("3000.00")
    attachment = grant.attachments.get()
    with attachment.file.open("rb") as stored:
        assert stored.read() == _png()


def test_final_report_with_a_fake_attachment_is_refused(
    client, fund, manager, manager2, organisation
):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)
    services.grant_pay(grant=grant, paid_on=timezone.localdate(), acting_user=manager)
    client.force_login(org_admin)
    response = client.post(
        f"/my/grants/{grant.pk}/report/",
        {"text": "结项。", "attachment": SimpleUploadedFile("report.pdf", b"<html>")},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PAID
    assert not grant.attachments.filter(kind=GrantAttachment.Kind.REPORT).exists()


def test_withdrawing_an_application_needs_the_confirmation(client, fund, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    grant = services.grant_apply(
        fund=fund,
        organisation=organisation,
        acting_user=org_admin,
        **{
            key: value
            for key, value in _application().items()
            if key not in ("project_starts_on", "project_ends_on", "amount_requested")
        },
        amount_requested=Decimal("100.00"),
        project_starts_on=timezone.localdate(),
        project_ends_on=timezone.localdate(),
    )
    client.force_login(org_admin)
    page = client.get(f"/my/grants/{grant.pk}/")
    assert b'name="confirm"' in page.content
    client.post(f"/my/grants/{grant.pk}/withdraw/")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED
    client.post(f"/my/grants/{grant.pk}/withdraw/", {"confirm": "1"})
    grant.refresh_from_db()
    assert grant.status == Grant.Status.WITHDRAWN


def test_grant_page_shows_the_available_balance_and_no_second_approve_button(
    client, fund, manager, manager2, organisation
):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="300.00")
    approve = f"/fund/manage/SBF/grants/{grant.pk}/approve/".encode()
    client.force_login(manager)
    page = client.get(f"/fund/manage/SBF/grants/{grant.pk}/")
    assert "¥1,000.00".encode() in page.content and approve in page.content
    client.post(f"/fund/manage/SBF/grants/{grant.pk}/approve/")
    page = client.get(f"/fund/manage/SBF/grants/{grant.pk}/")
    assert page.context["has_approved"] is True
    assert approve not in page.content
    client.force_login(manager2)
    page = client.get(f"/fund/manage/SBF/grants/{grant.pk}/")
    assert approve in page.content
    client.post(f"/fund/manage/SBF/grants/{grant.pk}/approve/")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPROVED
    page = client.get(f"/fund/manage/SBF/grants/{grant.pk}/")
    assert page.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/fund/gifts/?page=abc&year=x",
        "/fund/gifts/?year=1999&page=99999",
        "/fund/manage/SBF/ledger/?year=abc&page=x",
        "/fund/manage/SBF/ledger/?year=99999",
        "/fund/manage/SBF/trial-balance/?as_of=2026-13-01",
        "/fund/manage/SBF/donations/?page=zz",
        "/fund/manage/SBF/grants/?status=zz",
        "/fund/manage/SBF/exports/ledger.xlsx?year=abc",
        "/fund/manage/SBF/exports/trial-balance.xlsx?as_of=zz",
    ],
)
def test_bad_query_parameters_fall_back_to_defaults(client, fund, auditor, url):
    client.force_login(auditor)
    assert client.get(url).status_code == 200


def test_another_organisations_admin_cannot_act_on_or_read_a_grant(client, fund, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    client.force_login(org_admin)
    client.post("/my/grants/new/", _application(attachment=SimpleUploadedFile("p.pdf", b"%PDF-1")))
    grant = Grant.objects.get()
    attachment = grant.attachments.get()
    stranger = OrgAdminFactory(organisation__street=organisation.street).user
    client.force_login(stranger)
    for action in ("withdraw", "report", "progress"):
        response = client.post(f"/my/grants/{grant.pk}/{action}/", {"confirm": "1", "text": "x"})
        assert response.status_code == 404
    assert client.get(f"/my/grants/files/{attachment.pk}/").status_code == 404
    assert client.get(f"/fund/manage/SBF/files/{attachment.pk}/").status_code == 403
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SUBMITTED


def test_the_same_open_application_cannot_be_sent_twice(client, fund, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    client.force_login(org_admin)
    assert client.post("/my/grants/new/", _application()).status_code == 302
    response = client.post("/my/grants/new/", _application())
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["duplicate_application"]
    assert Grant.objects.count() == 1
    # Another title is another application; a decided one may be sent again.
    assert client.post("/my/grants/new/", _application(title="另一个项目")).status_code == 302
    grant = Grant.objects.get(title="社区老人助餐")
    client.post(f"/my/grants/{grant.pk}/withdraw/", {"confirm": "1"})
    assert client.post("/my/grants/new/", _application()).status_code == 302
    assert Grant.objects.count() == 3


def test_closing_a_year_needs_the_confirmation(client, fund, manager):
    from funds.models import ClosedPeriod

    client.force_login(manager)
    last_year = timezone.localdate().year - 1
    response = client.post("/fund/manage/SBF/periods/", {"year": last_year})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["confirm"]] == ["required"]
    assert not ClosedPeriod.objects.exists()
    response = client.post("/fund/manage/SBF/periods/", {"year": last_year, "confirm": "on"})
    assert response.status_code == 302
    assert ClosedPeriod.objects.get().year == last_year


@pytest.mark.parametrize(
    "url",
    [
        "/fund/manage/SBF/donations/new/",
        "/fund/manage/SBF/charity-sales/new/",
        "/fund/manage/SBF/ledger/new/",
        "/fund/manage/SBF/periods/",
    ],
)
def test_money_forms_are_sent_once(client, fund, manager, url):
    client.force_login(manager)
    content = client.get(url).content
    assert b"data-submit-once" in content and b"funds/submit_once.js" in content


def test_staff_pages_show_shares_as_plain_percentages(client, fund, manager):
    from funds.models import Pledge

    from .factories import past_day

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
    client.force_login(manager)
    preview = client.post("/fund/manage/SBF/charity-sales/new/", data).content.decode()
    assert "20%" in preview and "E+" not in preview
    client.post(
        "/fund/manage/SBF/charity-sales/new/",
        {**data, "expected_proceeds": "36000.00", "confirm": "1"},
    )
    listing = client.get("/fund/manage/SBF/charity-sales/").content.decode()
    assert "20%" in listing and "E+" not in listing
    pledge = services.pledge_create(
        fund=fund,
        new_donor=services.NewDonor(kind="company", name="上海城市福祉社"),
        description="每月20筐生蔬",
        income_kind=Pledge.IncomeKind.CHARITY_SALE,
        share_percent=Decimal("100"),
        starts_on=past_day(5),
        instalment_count=2,
        acting_user=manager,
    )
    detail = client.get(f"/fund/manage/SBF/pledges/{pledge.pk}/").content.decode()
    assert "100%" in detail and "E+" not in detail


def test_grant_list_is_paginated_and_keeps_the_status_filter(client, fund, manager, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    today = timezone.localdate()
    for index in range(51):
        services.grant_apply(
            fund=fund,
            organisation=organisation,
            kind=Grant.Kind.PROJECT,
            purpose=Grant.Purpose.TRAINING,
            title=f"培训 {index}",
            description="x",
            amount_requested=Decimal("10.00"),
            project_starts_on=today,
            project_ends_on=today,
            acting_user=org_admin,
        )
    client.force_login(manager)
    first = client.get("/fund/manage/SBF/grants/?status=submitted")
    assert len(first.context["grants"]) == 50
    assert "?status=submitted&amp;page=2" in first.content.decode()
    second = client.get("/fund/manage/SBF/grants/?status=submitted&page=2")
    assert len(second.context["grants"]) == 1
    assert client.get("/fund/manage/SBF/grants/?page=abc").status_code == 200


def test_refused_decisions_name_the_field_in_their_message(client, fund, manager, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/fund/manage/SBF/grants/{grant.pk}/pay/", {"paid_on": "2026-13-01"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["paid on: Enter a valid date."]
    response = client.post(f"/fund/manage/SBF/grants/{grant.pk}/reject/", {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["reason: This field is required."]
    grant.refresh_from_db()
    assert grant.status == Grant.Status.UNDER_REVIEW


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": Grant.Kind.TALENT, "beneficiary_name": " "}, "beneficiary_name"),
        ({"project_ends_on": "2020-01-01"}, "project_ends_on"),
    ],
)
def test_grant_application_rules_show_on_the_field_to_fix(client, fund, overrides, field):
    org_admin = OrgAdminFactory().user
    client.force_login(org_admin)
    response = client.post("/my/grants/new/", _application(**overrides))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Grant.objects.exists()


def test_only_active_fund_managers_decide_grants(fund, manager, manager2, auditor, organisation):
    org_admin = OrgAdminFactory(organisation=organisation).user
    give(fund, manager, amount="100.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    inactive = manager2
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    for user in (auditor, StaffFactory(), inactive, org_admin):
        for attempt, kwargs in (
            (services.grant_approve, {}),
            (services.grant_reject, {"reason": "x"}),
        ):
            with pytest.raises(ValidationError) as exc:
                attempt(grant=grant, acting_user=user, **kwargs)
            assert exc.value.code in ("not_allowed", "requester_cannot_approve")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.UNDER_REVIEW
    assert not grant.approvals.exists()


def test_an_approval_may_take_the_available_balance_to_exactly_zero(
    fund, manager, manager2, organisation
):
    org_admin = OrgAdminFactory(organisation=organisation).user
    from funds.selectors import fund_available, fund_summary

    give(fund, manager, amount="500.00")
    give(fund, manager, amount="0.01")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="500.01")
    services.grant_approve(grant=grant, acting_user=manager)
    grant = services.grant_approve(grant=grant, acting_user=manager2)
    assert grant.status == Grant.Status.APPROVED
    assert fund_available(fund=fund) == Decimal("0.00")
    summary = fund_summary(fund=fund)
    assert (summary.cash, summary.grants_payable) == (Decimal("500.01"), Decimal("500.01"))
    assert summary.income - summary.expense == summary.net_assets == Decimal("0.00")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "The amount must be more than zero."),
        ("-1", "The amount must be more than zero."),
        ("12.345", "An amount has at most two decimal places (fen)."),
        ("abc", "Enter an amount in yuan."),
        ("1e20", "The amount is too large."),
    ],
)
def test_grant_amount_errors_are_plain(client, fund, value, message):
    org_admin = OrgAdminFactory().user
    client.force_login(org_admin)
    client.cookies["django_language"] = "en"
    response = client.post("/my/grants/new/", _application(amount_requested=value))
    assert response.context["form"].errors["amount_requested"] == [message]
    assert message in response.content.decode()
