"""The annual report (.xlsx, Chinese PDF), its command, and organisations' evidence packs."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from dashboard import documents
from dashboard.registry import Filters, panel_list
from events.models import Registration
from funds.selectors import account_balances
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import OrgAdminFactory, OrganisationFactory
from tests.funds.factories import give

from .test_stats import shanghai

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils) to read the PDF's text layer")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content), data_only=True)


def _sheet_values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_a_sheet_per_panel_and_its_income_total_matches_the_ledger(fund, manager):
    year = timezone.localdate().year
    give(fund, manager, amount="1234.56", received_on=timezone.localdate())
    give(fund, manager, amount="0.07", received_on=timezone.localdate())

    with translation.override("zh-hans"):
        workbook = _workbook(documents.annual_report_xlsx(Filters(year=year)))

    assert len(workbook.sheetnames) == 1 + len(panel_list())
    income = _sheet_values(workbook["春芽基金各渠道收入"])
    total = next(row for row in income if row[0] == "合计")
    ledger = sum(
        (
            row.balance
            for row in account_balances(fund=fund, year=year)
            if row.account.kind == "income"
        ),
        Decimal("0.00"),
    )
    assert Decimal(str(total[1])).quantize(Decimal("0.01")) == ledger == Decimal("1234.63")


def test_text_that_looks_like_a_formula_is_stored_as_text():
    organisation = OrganisationFactory(name='=HYPERLINK("http://evil.example")社')
    event = EventFactory(
        title="=1+2 活动", starts_at=shanghai(2025, 4, 1, 9), ends_at=shanghai(2025, 4, 1, 12)
    )
    RegistrationFactory(
        event=event,
        participant=ParticipantFactory(organisation=organisation, name="@张三（虚构）"),
        status=Registration.Status.ATTENDED,
        hours=Decimal("1.00"),
    )

    workbook = _workbook(documents.evidence_pack_xlsx(organisation=organisation, year=2025))
    cells = [value for sheet in workbook for row in _sheet_values(sheet) for value in row]

    assert "'=1+2 活动" in cells
    assert "'@张三（虚构）" in cells
    assert not any(isinstance(value, str) and value.startswith(("=", "@")) for value in cells)


def test_the_pdf_summary_has_a_chinese_text_layer_with_every_heading():
    with translation.override("zh-hans"):
        text = _pdf_text(documents.annual_report_pdf(Filters(year=2025)))

    compact = "".join(text.split())
    assert "上海市静安区社会组织联合会2025年度报告" in compact
    for heading in (
        "会员单位",
        "季季·益联盟：各联盟季度任务",
        "各月活动与到场情况",
        "春芽基金各渠道收入",
        "各街道年检年报提交情况",
    ):
        assert heading in compact


def test_the_command_writes_both_files(tmp_path):
    out = io.StringIO()
    call_command("annual_report", "--year", "2025", "--output-dir", str(tmp_path), stdout=out)

    xlsx = tmp_path / "yilu-annual-report-2025.xlsx"
    pdf = tmp_path / "yilu-annual-report-2025.pdf"
    assert xlsx.exists() and pdf.exists()
    assert "会员单位" in _workbook(xlsx.read_bytes()).sheetnames
    assert "会员单位" in "".join(_pdf_text(pdf.read_bytes()).split())


def test_an_org_admin_downloads_their_own_evidence_pack_and_not_anothers(client):
    membership = OrgAdminFactory()
    other = OrganisationFactory()
    client.force_login(membership.user)
    own = membership.organisation.slug

    assert client.get(f"/evidence/{own}/").status_code == 200
    assert client.get(f"/evidence/{own}/2025.xlsx").status_code == 200
    assert client.get(f"/evidence/{own}/2025.pdf").content.startswith(b"%PDF")
    assert client.get(f"/evidence/{other.slug}/").status_code == 404
    assert client.get(f"/evidence/{other.slug}/2025.xlsx").status_code == 404
    assert client.get(f"/evidence/{own}/1900.xlsx").status_code == 404
    assert client.get("/my/evidence/")["Location"] == f"/evidence/{own}/"


def test_a_plain_member_of_the_organisation_gets_404(client):
    from tests.federation.factories import OrganisationMemberFactory

    member = OrganisationMemberFactory()
    client.force_login(member.user)
    assert client.get(f"/evidence/{member.organisation.slug}/").status_code == 404


def test_staff_download_any_organisations_pack(staff_client):
    organisation = OrganisationFactory(name="静安测试证据社（虚构）")
    found = staff_client.get("/staff/evidence/", {"q": "证据社"}).content.decode()
    assert f"/evidence/{organisation.slug}/" in found
    assert staff_client.get(f"/evidence/{organisation.slug}/2025.xlsx").status_code == 200


def test_the_evidence_pack_pdf_lists_hours_by_person_in_chinese():
    organisation = OrganisationFactory()
    event = EventFactory(starts_at=shanghai(2025, 5, 1, 9), ends_at=shanghai(2025, 5, 1, 12))
    RegistrationFactory(
        event=event,
        participant=ParticipantFactory(organisation=organisation, name="王小明（虚构）"),
        status=Registration.Status.ATTENDED,
        hours=Decimal("2.50"),
    )
    with translation.override("zh-hans"):
        text = _pdf_text(documents.evidence_pack_pdf(organisation=organisation, year=2025))

    compact = "".join(text.split())
    assert "每人志愿服务时长" in compact
    assert "王小明（虚构）" in compact
    assert "2.50" in compact


def test_anonymous_users_are_sent_to_log_in_for_an_evidence_pack(client):
    organisation = OrganisationFactory()
    assert client.get(f"/evidence/{organisation.slug}/2025.xlsx").status_code == 302
