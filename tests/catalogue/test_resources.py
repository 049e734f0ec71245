"""Import and export of the catalogue: dry run, all-or-nothing, idempotent, row and reason."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from catalogue.models import ServiceOffering
from catalogue.resources import ServiceOfferingResource, import_error_list, import_template_dataset
from tests.federation.factories import OrganisationFactory

from .factories import OfferingFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "提供机构",
    "服务名称",
    "服务领域",
    "简介",
    "服务对象",
    "联系电话",
    "公开联系方式",
    "每场人数",
]


@pytest.fixture
def providers(db):
    return (
        OrganisationFactory(name="上海市静安区乐龄导入测试中心", short_name="乐龄测试"),
        OrganisationFactory(name="上海市静安区邻里调解协会（导入测试）", credit_code=""),
    )


def _dataset(rows) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append(row)
    return dataset


def _good_rows():
    return [
        [
            "乐龄测试",
            "老年人智能手机课堂",
            "为老服务",
            "教老人用手机",
            "老人",
            "139 0000 0001",
            "电话",
            "20",
        ],
        [
            "上海市静安区邻里调解协会（导入测试）",
            "邻里纠纷调解",
            "mediation",
            "化解邻里矛盾",
            "居民",
            "",
            "不公开",
            "",
        ],
    ]


def _import(dataset, user, *, dry_run=False):
    return ServiceOfferingResource().import_data(dataset, dry_run=dry_run, user=user)


def test_import_creates_published_offerings_and_a_second_run_changes_nothing(providers, staff):
    result = _import(_dataset(_good_rows()), staff)
    assert not result.has_errors() and not result.has_validation_errors()
    offerings = ServiceOffering.objects.order_by("title")
    assert [o.title for o in offerings] == ["老年人智能手机课堂", "邻里纠纷调解"]
    assert {o.status for o in offerings} == {"published"}
    phone_class = ServiceOffering.objects.get(title="老年人智能手机课堂")
    assert phone_class.contact_phone == "13900000001" and phone_class.capacity == 20
    assert phone_class.organisation == providers[0] and "znsj" in phone_class.pinyin_search
    before = list(ServiceOffering.objects.values_list("pk", "updated_at"))
    again = _import(_dataset(_good_rows()), staff)
    assert [row.import_type for row in again.rows] == ["skip", "skip"]
    assert list(ServiceOffering.objects.values_list("pk", "updated_at")) == before


def test_import_updates_an_existing_offering_and_keeps_its_status(providers, staff):
    existing = OfferingFactory(
        organisation=providers[0], title="老年人智能手机课堂", status="withdrawn"
    )
    rows = _good_rows()
    rows[0][3] = "新的简介"
    _import(_dataset(rows), staff)
    existing.refresh_from_db()
    assert existing.summary == "新的简介" and existing.status == "withdrawn"


def test_a_bad_field_name_refuses_the_whole_file_with_row_and_reason(providers, staff):
    rows = _good_rows()
    rows.append(["乐龄测试", "宠物美容", "宠物服务", "给宠物洗澡", "", "", "", ""])
    result = _import(_dataset(rows), staff)
    assert result.has_validation_errors()
    assert ServiceOffering.objects.count() == 0  # the good rows are not written either
    problems = import_error_list(result)
    assert problems == [(4, "服务领域", "未知的服务领域：宠物服务。")]


def test_import_names_every_problem_row_and_column(providers, staff):
    rows = _good_rows()
    rows[0][0] = "不存在的机构"
    rows[1][7] = "很多"
    rows += [list(_good_rows()[0]), list(_good_rows()[0])]  # the same offering twice
    result = _import(_dataset(rows), staff)
    problems = {(row, column) for row, column, _reason in import_error_list(result)}
    assert (2, "提供机构") in problems
    assert (3, "每场人数") in problems
    assert (5, "服务名称") in problems and (4, "服务名称") not in problems
    assert ServiceOffering.objects.count() == 0


def test_a_dry_run_writes_nothing(providers, staff):
    result = _import(_dataset(_good_rows()), staff, dry_run=True)
    assert not result.has_validation_errors() and ServiceOffering.objects.count() == 0


def test_unknown_columns_refuse_the_file(providers, staff):
    dataset = _dataset(_good_rows())
    dataset.append_col(["x", "y"], header="备注栏")
    result = _import(dataset, staff)
    assert result.has_errors()
    assert "备注栏" in import_error_list(result)[0][2]


def test_only_reviewers_import(providers, mine):
    result = _import(_dataset(_good_rows()), mine.user)
    assert result.has_errors() and ServiceOffering.objects.count() == 0


def test_export_escapes_formulas_and_the_template_reimports(providers, staff):
    OfferingFactory(organisation=providers[0], title="=1+1", summary="@SUM(A1)")
    exported = ServiceOfferingResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["服务名称"] == "'=1+1" and row["简介"] == "'@SUM(A1)"
    assert row["状态"] == "已发布"
    assert "状态" not in import_template_dataset().headers


def test_the_admin_import_page_shows_row_column_and_reason(client, providers, staff):
    rows = _good_rows() + [["乐龄测试", "宠物美容", "宠物服务", "给宠物洗澡", "", "", "", ""]]
    content = "\ufeff" + _dataset(rows).export("csv")
    upload = SimpleUploadedFile("offerings.csv", content.encode("utf-8"), "text/csv")
    client.force_login(staff)
    response = client.post(
        "/admin/catalogue/serviceoffering/import/",
        {"import_file": upload, "format": "1", "resource": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "宠物服务" in page and "服务领域" in page
    assert ServiceOffering.objects.count() == 0


def test_the_admin_template_downloads(client, staff):
    client.force_login(staff)
    response = client.get("/admin/catalogue/serviceoffering/import-template/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["提供机构", "服务名称", "服务领域"]
