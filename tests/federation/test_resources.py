"""Import and export of the registry (django-import-export)."""

import io

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from federation import services
from federation.creditcode import credit_code_check_character, make_credit_code
from federation.models import MembershipEvent, Organisation
from federation.resources import (
    MAX_IMPORT_ROWS,
    OrganisationResource,
    escape_formula,
    import_error_list,
    import_template_dataset,
)

from .factories import OrganisationFactory, StaffFactory, error_codes, street

pytestmark = pytest.mark.django_db

HEADERS_ZH = [
    "统一社会信用代码",
    "机构全称",
    "简称",
    "法律形式",
    "所属街道",
    "服务领域",
    "联系电话",
    "评估等级",
    "评估年度",
    "慈善组织",
    "成立日期",
]
HEADERS_EN = [
    "Credit code",
    "Full name",
    "Short name",
    "Legal form",
    "Street or town",
    "Service fields",
    "Contact phone",
    "Rating",
    "Rating year",
    "Charity organisation",
    "Established on",
]
GOOD_ROWS = [
    [
        "51310106MJ00000189",
        "上海市静安区导入测试协会（虚构）",
        "导入协会",
        "社会团体",
        "江宁路街道",
        "为老服务、健康服务",
        "021 6234 5678",
        "3A",
        "2023",
        "否",
        "2015-06-01",
    ],
    [
        "52310106mj0000034u",
        "上海市静安区导入测试服务中心（虚构）",
        "",
        "社会服务机构",
        "310106100",
        "Youth growth",
        "13800000000",
        "",
        "",
        "no",
        "2018/3/1",
    ],
    [
        "",
        "静安区导入测试睦邻小组（虚构）",
        "睦邻小组",
        "备案社区社会组织",
        "彭浦新村",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


def _csv(headers, rows) -> bytes:
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset.export("csv").encode("utf-8")


def _import(headers, rows, *, user, dry_run=False):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return OrganisationResource().import_data(dataset, dry_run=dry_run, user=user)


def test_a_good_file_with_chinese_headers_is_imported(staff):
    result = _import(HEADERS_ZH, GOOD_ROWS, user=staff)
    assert not result.has_errors() and not result.has_validation_errors(), import_error_list(result)
    assert result.totals["new"] == 3
    association = Organisation.objects.get(credit_code="51310106MJ00000189")
    assert association.status == "active" and association.joined_on is not None
    assert association.legal_form == "social_group"
    assert association.street == street("310106006")
    assert association.contact_phone == "021-62345678"
    assert (association.rating, association.rating_year) == ("3A", 2023)
    assert set(association.service_fields.values_list("code", flat=True)) == {
        "elderly-care",
        "health",
    }
    assert association.name_pinyin and association.slug
    centre = Organisation.objects.get(credit_code="52310106MJ0000034U")
    assert centre.street == street("310106100")
    assert list(centre.service_fields.values_list("code", flat=True)) == ["youth"]
    group = Organisation.objects.get(name="静安区导入测试睦邻小组（虚构）")
    assert (group.credit_code, group.street) == ("", street("310106020"))
    assert MembershipEvent.objects.filter(to_status="active").count() == 3


def test_english_headers_are_accepted(staff):
    result = _import(HEADERS_EN, GOOD_ROWS, user=staff)
    assert result.totals["new"] == 3, import_error_list(result)


def test_a_dry_run_writes_nothing(staff):
    result = _import(HEADERS_ZH, GOOD_ROWS, user=staff, dry_run=True)
    assert result.totals["new"] == 3
    assert not Organisation.objects.exists()


def test_a_file_with_three_bad_rows_writes_nothing_and_explains_each(staff):
    rows = GOOD_ROWS + [
        [
            "91350100M000100Y4Z",
            "坏行一（虚构）",
            "",
            "社会团体",
            "江宁路街道",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "坏行二（虚构）", "", "社会团体", "不存在的街道", "", "", "", "", "", ""],
        ["", "坏行三（虚构）", "", "社会团体", "北站街道", "", "12345", "", "", "", ""],
    ]
    with translation.override("en"):
        result = _import(HEADERS_ZH, rows, user=staff)
        problems = import_error_list(result)
    assert not Organisation.objects.exists()
    assert [(row, column) for row, column, _reason in problems] == [
        (5, "统一社会信用代码"),
        (6, "所属街道"),
        (7, "联系电话"),
    ]
    reasons = [reason for _row, _column, reason in problems]
    assert "check character" in reasons[0]
    assert "not one of the 14 streets" in reasons[1]
    assert "Shanghai landline" in reasons[2]
    # In Chinese the reasons come from the zh_Hans catalogue (English until it is compiled).
    with translation.override("zh-hans"):
        assert len(import_error_list(_import(HEADERS_ZH, rows, user=staff))) == 3


def test_errors_name_the_column_as_written_in_the_file(staff):
    rows = [
        [
            "91350100M000100Y4Z",
            "坏行（虚构）",
            "",
            "social group",
            "Jiangning Road",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    problems = import_error_list(_import(HEADERS_EN, rows, user=staff))
    assert [(row, column) for row, column, _ in problems] == [(2, "Credit code")]


def test_importing_the_same_file_twice_changes_nothing(staff):
    _import(HEADERS_ZH, GOOD_ROWS, user=staff)
    before = {o.pk: (o.updated_at, o.name_pinyin) for o in Organisation.objects.all()}
    events = MembershipEvent.objects.count()
    result = _import(HEADERS_ZH, GOOD_ROWS, user=staff)
    assert result.totals["skip"] == 3 and result.totals["new"] == 0 and result.totals["update"] == 0
    assert {o.pk: (o.updated_at, o.name_pinyin) for o in Organisation.objects.all()} == before
    assert MembershipEvent.objects.count() == events


def test_a_changed_row_updates_the_matched_organisation(staff):
    _import(HEADERS_ZH, GOOD_ROWS, user=staff)
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][2] = "新简称"
    rows[2][5] = "矛盾调处"
    result = _import(HEADERS_ZH, rows, user=staff)
    assert (result.totals["update"], result.totals["skip"]) == (2, 1)
    assert Organisation.objects.get(credit_code="51310106MJ00000189").short_name == "新简称"
    group = Organisation.objects.get(name="静安区导入测试睦邻小组（虚构）")
    assert list(group.service_fields.values_list("code", flat=True)) == ["mediation"]
    assert Organisation.objects.count() == 3


def test_an_import_cannot_change_a_membership_status(staff):
    organisation = OrganisationFactory(
        credit_code="51310106MJ00000189", status="lapsed", legal_form="social_group"
    )
    headers = ["统一社会信用代码", "机构全称", "会员状态"]
    problems = import_error_list(
        _import(headers, [["51310106MJ00000189", organisation.name, "会员"]], user=staff)
    )
    assert [(row, column) for row, column, _ in problems] == [(2, "会员状态")]
    # A blank status cell keeps it.
    result = _import(headers, [["51310106MJ00000189", organisation.name, ""]], user=staff)
    assert not result.has_validation_errors()
    organisation.refresh_from_db()
    assert organisation.status == "lapsed"


def test_duplicate_rows_in_one_file_are_refused(staff):
    problems = import_error_list(_import(HEADERS_ZH, [GOOD_ROWS[0], GOOD_ROWS[0]], user=staff))
    assert [(row, column) for row, column, _ in problems] == [(3, "统一社会信用代码")]
    assert not Organisation.objects.exists()


def test_position_17_warning_needs_the_accept_column(staff):
    code = "51310106MJ0000017" + credit_code_check_character("51310106MJ0000017")
    headers = ["统一社会信用代码", "机构全称", "法律形式", "所属街道"]
    row = [code, "校验警告测试会（虚构）", "社会团体", "江宁路街道"]
    problems = import_error_list(_import(headers, [row], user=staff))
    assert [(r, c) for r, c, _ in problems] == [(2, "统一社会信用代码")]
    result = _import(headers + ["确认信用代码校验警告"], [row + ["是"]], user=staff)
    assert result.totals["new"] == 1, import_error_list(result)
    assert Organisation.objects.get(credit_code=code).credit_code_warning_accepted


def test_unknown_columns_and_too_many_rows_are_refused(staff):
    result = _import(["机构全称", "乱码列"], [["x（虚构）", "y"]], user=staff)
    assert result.has_errors() and not Organisation.objects.exists()
    assert "乱码列" in import_error_list(result)[0][2]
    rows = [[f"组织{n}（虚构）", "社会团体", "江宁路街道"] for n in range(MAX_IMPORT_ROWS + 1)]
    result = _import(["机构全称", "法律形式", "所属街道"], rows, user=staff)
    assert result.has_errors() and not Organisation.objects.exists()


def test_the_import_service_needs_the_import_permission():
    plain_staff = StaffFactory()
    entry = services.OrganisationImportEntry(
        organisation_id=None,
        details={"name": "x", "legal_form": "other", "street": street("310106006")},
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_import(entries=[entry], acting_user=plain_staff)
    assert error_codes(excinfo.value) == {"not_allowed"}
    result = _import(HEADERS_ZH, GOOD_ROWS, user=plain_staff)
    assert result.has_errors() and not Organisation.objects.exists()


# --- through the back office --------------------------------------------------------------

IMPORT_URL = "/admin/federation/organisation/import/"


def _upload(client, content: bytes, name="organisations.csv", file_format=1):
    return client.post(
        IMPORT_URL,
        {"resource": 0, "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def test_admin_import_previews_then_writes_on_confirmation(client, staff):
    client.force_login(staff)
    response = _upload(client, _csv(HEADERS_ZH, GOOD_ROWS))
    assert response.status_code == 200
    assert not Organisation.objects.exists()  # the preview is a dry run
    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:federation_organisation_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Organisation.objects.count() == 3


def test_admin_import_preview_lists_row_column_and_reason(client, staff):
    client.force_login(staff)
    rows = GOOD_ROWS + [
        ["", "坏行（虚构）", "", "社会团体", "不存在的街道", "", "", "", "", "", ""]
    ]
    response = _upload(client, _csv(HEADERS_ZH, rows))
    assert response.context.get("confirm_form") is None
    assert response.context["import_problems"][0][:2] == (5, "所属街道")
    assert "所属街道" in response.content.decode()


def test_admin_import_reads_xlsx(client, staff):
    client.force_login(staff)
    dataset = tablib.Dataset(headers=HEADERS_ZH)
    for row in GOOD_ROWS:
        dataset.append(row)
    response = _upload(client, dataset.export("xlsx"), name="organisations.xlsx", file_format=0)
    assert response.context["result"].totals["new"] == 3
    import openpyxl as reader

    assert reader.DEFUSEDXML  # openpyxl parses through defusedxml


def test_a_file_over_10_mb_is_refused(client, staff):
    client.force_login(staff)
    big = _csv(HEADERS_ZH, GOOD_ROWS) + b"\n" + b"x" * (10 * 1024 * 1024)
    response = _upload(client, big)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["import_file"]] == [
        "import_file_too_large"
    ]
    assert not Organisation.objects.exists()


def test_import_needs_its_own_permission(client):
    user = StaffFactory()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_organisation", "change_organisation"])
    )
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert (
        client.get(
            reverse("admin:federation_organisation_import_template", args=["csv"])
        ).status_code
        == 403
    )


def test_the_import_template_has_every_header_and_an_example_row_that_imports(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:federation_organisation_import_template", args=["xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("统一社会信用代码", "机构全称") and len(rows) == 2
    csv = client.get(reverse("admin:federation_organisation_import_template", args=["csv"]))
    assert csv.content.startswith("\ufeff".encode())
    result = OrganisationResource().import_data(import_template_dataset(), dry_run=True, user=staff)
    assert result.totals["new"] == 1, import_error_list(result)
    unknown = reverse("admin:federation_organisation_import_template", args=["xls"])
    assert client.get(unknown).status_code == 404


# --- export -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dangerous", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_escape_formula(dangerous):
    assert escape_formula(dangerous) == "'" + dangerous
    assert escape_formula("静安社联") == "静安社联"


def test_an_imported_formula_is_exported_escaped(client, staff, settings):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
    rows = [
        [
            "",
            "公式测试组（虚构）",
            "=cmd|' /C calc'!A0",
            "备案社区社会组织",
            "北站街道",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    client.force_login(staff)
    response = _upload(client, _csv(HEADERS_ZH, rows))
    client.post(
        reverse("admin:federation_organisation_process_import"),
        response.context["confirm_form"].initial,
    )
    organisation = Organisation.objects.get()
    assert organisation.short_name == "=cmd|' /C calc'!A0"
    response = client.post(
        "/admin/federation/organisation/export/",
        {
            "format": 1,
            "resource": 0,
            "organisationresource_short_name": True,
            "organisationresource_name": True,
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text
    assert ",=cmd" not in text
    # Re-importing the export gives the value back without the apostrophe.
    xlsx = OrganisationResource().export(Organisation.objects.all())
    assert "'=cmd|' /C calc'!A0" in xlsx["简称"]


def test_export_headers_follow_the_language(staff):
    OrganisationFactory()
    with translation.override("en"):
        assert OrganisationResource().export(Organisation.objects.all()).headers[:2] == [
            "Credit code",
            "Full name",
        ]
    with translation.override("zh-hans"):
        dataset = OrganisationResource().export(Organisation.objects.all())
    assert dataset.headers[:2] == ["统一社会信用代码", "机构全称"]
    assert "确认信用代码校验警告" not in dataset.headers


def test_export_then_import_round_trips_without_changes(staff):
    _import(HEADERS_ZH, GOOD_ROWS, user=staff)
    Organisation.objects.filter(credit_code="51310106MJ00000189").update(short_name="=1+1")
    exported = OrganisationResource().export(Organisation.objects.all())
    result = OrganisationResource().import_data(exported, dry_run=False, user=staff)
    assert result.totals["skip"] == 3, import_error_list(result)
    assert Organisation.objects.get(credit_code="51310106MJ00000189").short_name == "=1+1"


def _service_credit_code_refusal(code, legal_form):
    organisation = Organisation(credit_code=code, legal_form=legal_form)
    with pytest.raises(ValidationError) as excinfo:
        services.check_credit_code_rules(
            organisation,
            previous_code=None,
            accept_warning=False,
            confirmed_by_applicant=False,
            acting_user=None,
        )
    return excinfo.value.error_dict["credit_code"][0]


@pytest.mark.parametrize(
    "code, expected_code",
    [
        (
            "51310106MJ0000017" + credit_code_check_character("51310106MJ0000017"),
            "credit_code_check_warning",
        ),
        (make_credit_code("52310106MJ000001"), "credit_code_legal_form_mismatch"),
    ],
)
def test_import_refuses_credit_codes_with_the_service_wording(staff, code, expected_code):
    headers = ["统一社会信用代码", "机构全称", "法律形式", "所属街道"]
    row = [code, "信用代码规则测试会（虚构）", "社会团体", "江宁路街道"]
    refusal = _service_credit_code_refusal(code, "social_group")
    assert refusal.code == expected_code
    problems = import_error_list(_import(headers, [row], user=staff))
    assert problems == [(2, "统一社会信用代码", refusal.messages[0])]
    assert not Organisation.objects.exists()
