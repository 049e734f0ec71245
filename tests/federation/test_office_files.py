"""The members import with files as a district office makes them (issue 11).

A workbook with a merged title row, a 序号 column, the headers people write
(单位名称, 统一社会信用代码（18位）, 联系电话（手机）…), full-width digits, blank
rows and dates as text or Excel serial numbers; and the same list saved by
Chinese Excel as "CSV" (GBK). Both go through the admin's real upload.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from federation.creditcode import make_credit_code
from federation.models import Organisation
from federation.resources import OrganisationResource, import_error_list, import_template_dataset

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/federation/organisation/import/"
XLSX, CSV = 0, 1  # the admin's format choices
CODE_A = make_credit_code("51310106MJ900001")
CODE_B = make_credit_code("52310106MJ900002")
CODE_C = make_credit_code("51310106MJ900003")
FULL_WIDTH = str.maketrans(
    "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "０１２３４５６７８９－ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
)

HEADER = [
    "序号",
    "社会组织名称",
    "统一社会信用代码（18位）",
    "法律形式",
    "所属街镇",
    "成立时间",
    "法人代表",
    "联系电话（手机）",
    "邮箱",
    "登记机关",
    "备注",
]


def _rows(established_b="2018.3.1"):
    return [
        [
            1,
            "上海市静安区办公室测试协会（虚构）",
            CODE_A.translate(FULL_WIDTH),
            "社会团体",
            "江宁路街道",
            "2015年2月3日",
            "张*明（虚构）",
            "１３９１２３４５６７８",
            "office@example.org",
            "上海市静安区民政局",
            "导入测试",
        ],
        None,  # a blank row in the middle
        [
            2,
            "上海市静安区办公室测试服务中心（虚构）",
            CODE_B,
            "民办非企业单位",
            "石门二路",
            established_b,
            "李*（虚构）",
            "021－6234 5678".translate(FULL_WIDTH),
            "",
            "上海市静安区民政局",
            "",
        ],
        [
            3,
            "静安区办公室测试睦邻小组（虚构）",
            CODE_C,
            "社会团体",
            "彭浦新村",
            42064,
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def _messy_xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "会员名单"
    sheet.append(["静安区社会组织联合会会员单位名单（2026年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row or [])
    sheet.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _gbk_csv(rows) -> bytes:
    lines = [",".join(HEADER)]
    for row in rows:
        lines.append(",".join("" if cell is None else str(cell) for cell in (row or [])))
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _upload(client, content, name, file_format):
    return client.post(
        IMPORT_URL,
        {"resource": 0, "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def _confirm(client, response):
    problems = response.context.get("import_problems")
    assert response.context.get("confirm_form") is not None, problems
    done = client.post(
        reverse("admin:federation_organisation_process_import"),
        response.context["confirm_form"].initial,
    )
    assert done.status_code == 302


def _assert_imported():
    first = Organisation.objects.get(credit_code=CODE_A)
    assert first.name == "上海市静安区办公室测试协会（虚构）"  # full-width brackets kept in names
    assert first.contact_phone == "13912345678"
    assert first.established_on == datetime.date(2015, 2, 3)
    assert first.legal_representative == "张*明（虚构）"
    assert first.contact_email == "office@example.org"
    assert first.registration_authority == "上海市静安区民政局"
    assert first.street.name_zh == "江宁路街道"
    second = Organisation.objects.get(credit_code=CODE_B)
    assert second.contact_phone == "021-62345678"
    assert second.established_on == datetime.date(2018, 3, 1)
    assert second.legal_form == "service_agency"
    third = Organisation.objects.get(credit_code=CODE_C)
    assert third.established_on == datetime.date(2015, 3, 1)  # Excel serial 42064
    assert Organisation.objects.count() == 3


def test_a_messy_office_workbook_imports_through_the_admin(client, staff):
    client.force_login(staff)
    response = _upload(client, _messy_xlsx(_rows()), "会员名单.xlsx", XLSX)
    assert response.status_code == 200
    assert not Organisation.objects.exists()  # the preview writes nothing
    _confirm(client, response)
    _assert_imported()


def test_a_gbk_csv_from_chinese_excel_imports_through_the_admin(client, staff):
    client.force_login(staff)
    content = _gbk_csv(_rows())
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = _upload(client, content, "会员名单.csv", CSV)
    assert response.status_code == 200
    _confirm(client, response)
    _assert_imported()


def test_an_impossible_date_is_reported_with_its_spreadsheet_row(client, staff):
    client.force_login(staff)
    client.cookies["django_language"] = "zh-hans"
    response = _upload(client, _messy_xlsx(_rows(established_b="2015年2月30日")), "x.xlsx", XLSX)
    problems = response.context["import_problems"]
    # Title (1), blank (2), header (3), first row (4), blank (5): the bad row is row 6.
    assert [(row, column) for row, column, _reason in problems] == [
        (6, "成立时间")
    ]  # as the file names it
    assert "没有这一天" in problems[0][2]
    assert not Organisation.objects.exists()


def test_an_unreadable_csv_is_refused_in_chinese(client, staff):
    client.force_login(staff)
    client.cookies["django_language"] = "zh-hans"
    response = _upload(client, b"\xff\xfe\xff\xff", "x.csv", CSV)
    errors = response.context["form"].errors["import_file"]
    assert any("GBK" in error and "Excel" in error for error in errors), errors


def test_a_zip_bomb_is_refused_with_a_clear_message(client, staff):
    import zipfile

    client.force_login(staff)
    client.cookies["django_language"] = "en"
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_messy_xlsx(_rows()))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 40_000_000)
            bomb.writestr(item.filename, data)
    response = _upload(client, buffer.getvalue(), "bomb.xlsx", XLSX)
    errors = response.context["form"].errors["import_file"]
    assert any("malicious" in error for error in errors), errors
    assert not Organisation.objects.exists()


def test_the_template_unchanged_previews_a_new_organisation_even_with_demo_data(staff):
    from io import StringIO

    from federation import demo

    demo.seed(StringIO())
    assert Organisation.objects.filter(credit_code="51310106MJ00000189").exists()
    result = OrganisationResource().import_data(import_template_dataset(), dry_run=True, user=staff)
    assert result.totals["new"] == 1 and result.totals["update"] == 0, import_error_list(result)
