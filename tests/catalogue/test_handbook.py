"""The 《百益宝藏》 handbook: its PDF text layer, table of contents and QR codes; the .xlsx."""

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from catalogue.handbook import handbook_pdf
from catalogue.models import ServiceOffering
from federation.models import ServiceField

from .factories import OfferingFactory

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"
)


def _text(pdf: bytes, *, first: int | None = None, last: int | None = None) -> str:
    command = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    done = subprocess.run([*command, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.fixture
def catalogue(db):
    fields = list(ServiceField.objects.order_by("position"))
    for number in range(30):
        OfferingFactory(
            field=fields[number % 10],  # two fields stay empty: they are still listed
            title=f"手册测试服务{number:02d}",
            contact_visibility="phone" if number % 2 else "none",
        )
    OfferingFactory(title="老年人智能手机课堂", field=fields[0], contact_visibility="phone")
    OfferingFactory(title="未发布的草稿", field=fields[0], status=ServiceOffering.Status.DRAFT)
    return fields


@needs_poppler
def test_handbook_text_layer_holds_field_headings_and_titles(catalogue):
    pdf = handbook_pdf(year=2026)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "2026年《百益宝藏》" in text
    for service_field in catalogue:
        assert service_field.name_zh in text
    assert "老年人智能手机课堂" in text
    assert "未发布的草稿" not in text
    assert "13900001234" in text  # shown as the organisation allows
    assert "139****1234" in text  # masked where it does not


@needs_poppler
def test_handbook_table_of_contents_lists_every_field_with_its_page(catalogue):
    pdf = handbook_pdf(year=2026)
    contents = _text(pdf, first=2, last=3)
    pages = {}
    for service_field in catalogue:
        match = re.search(re.escape(service_field.name_zh) + r"[ .·]*?(\d+)\s*$", contents, re.M)
        assert match, f"{service_field.name_zh} missing from the contents"
        pages[service_field.code] = int(match.group(1))
    ordered = [pages[service_field.code] for service_field in catalogue]
    assert ordered == sorted(ordered) and len(set(ordered)) == 12
    # The page a field's entry names really starts with that field's heading.
    first = catalogue[0]
    assert first.name_zh in _text(pdf, first=pages[first.code], last=pages[first.code])


def test_handbook_xlsx_has_the_same_list_formula_escaped(client, staff):
    OfferingFactory(title='=HYPERLINK("http://evil")', summary="+1")
    OfferingFactory(title="社区血压检测")
    client.force_login(staff)
    response = client.get("/services/handbook.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    titles = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in titles and "社区血压检测" in titles


def test_staff_download_the_handbook_pdf(client, staff):
    OfferingFactory()
    client.force_login(staff)
    response = client.get("/services/handbook.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
