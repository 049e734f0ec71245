from io import BytesIO

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from alliances.models import AllianceMembership
from alliances.resources import AllianceMembershipResource
from core.spreadsheets import escape_formula
from tests.federation.factories import (
    FederationStaffFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import AllianceMembershipFactory

pytestmark = pytest.mark.django_db

Status = AllianceMembership.Status


def _dataset(*rows, headers=("organisation", "alliance")):
    return tablib.Dataset(*rows, headers=list(headers))


def _import(dataset, user=None, dry_run=False):
    return AllianceMembershipResource().import_data(
        dataset, dry_run=dry_run, user=user or FederationStaffFactory()
    )


def test_import_makes_active_memberships_by_full_name_or_chinese_alliance_name():
    first = OrganisationFactory(name="静安区示范为老服务中心（虚构）")
    second = OrganisationFactory()
    result = _import(
        _dataset((first.name, "elderly"), (second.name, "青年志愿联盟"), (first.name, "YOUTH"))
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    active = set(
        AllianceMembership.objects.active().values_list("organisation__name", "alliance__code")
    )
    assert active == {(first.name, "elderly"), (second.name, "youth"), (first.name, "youth")}
    membership = AllianceMembership.objects.filter(organisation=first).first()
    assert membership.changes.get().to_status == "active"


def test_import_approves_a_pending_application_and_skips_existing_members():
    pending = AllianceMembershipFactory(status=Status.PENDING)
    member = AllianceMembershipFactory(status=Status.ACTIVE)
    result = _import(
        _dataset((pending.organisation.name, "elderly"), (member.organisation.name, "elderly"))
    )
    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    pending.refresh_from_db()
    assert pending.status == Status.ACTIVE
    assert AllianceMembership.objects.count() == 2


def test_import_is_all_or_nothing_with_an_error_for_each_bad_row():
    good = OrganisationFactory()
    lapsed = OrganisationFactory(status="lapsed")
    dataset = _dataset(
        (good.name, "elderly"),
        ("不存在的机构", "elderly"),
        (lapsed.name, "youth"),
        (good.name, "no-such-alliance"),
        (good.name, "elderly"),
    )
    with translation.override("en"):
        result = _import(dataset)
    assert result.has_validation_errors()
    assert not AllianceMembership.objects.exists()
    # Rows as a spreadsheet shows them: the header is row 1 (issue 11).
    errors = {row.number: row.error for row in result.invalid_rows}
    assert sorted(errors) == [3, 4, 5, 6]
    assert [e.code for e in errors[3].error_dict["__all__"]] == ["organisation_not_found"]
    assert [e.code for e in errors[4].error_dict["__all__"]] == ["inactive_member"]
    assert [e.code for e in errors[5].error_dict["__all__"]] == ["alliance_not_found"]
    assert [e.code for e in errors[6].error_dict["__all__"]] == ["duplicate_row"]
    assert result.invalid_rows[0].non_field_specific_errors == [
        "Row 3: no organisation has this credit code or full name."
    ]


def test_import_dry_run_writes_nothing():
    result = _import(_dataset((OrganisationFactory().name, "elderly")), dry_run=True)
    assert result.totals["new"] == 1
    assert not AllianceMembership.objects.exists()


def test_import_refuses_files_without_the_columns_and_non_staff():
    result = _import(_dataset(("x", "y"), headers=("名称", "其他")))
    assert result.has_errors()
    assert result.base_errors[0].error.code == "missing_columns"
    result = _import(_dataset((OrganisationFactory().name, "elderly")), user=UserFactory())
    assert result.has_errors()
    assert result.base_errors[0].error.error_list[0].code == "not_staff"
    assert not AllianceMembership.objects.exists()


def test_export_round_trips_and_escapes_formulas():
    evil = OrganisationFactory(name='=HYPERLINK("http://x")')
    AllianceMembershipFactory(organisation=evil)
    AllianceMembershipFactory()
    dataset = AllianceMembershipResource().export()
    assert dataset.headers[:2] == ["organisation", "credit_code"]
    assert '\'=HYPERLINK("http://x")' in dataset["organisation"]
    plain = [name for name in dataset["organisation"] if not name.startswith("'")]
    AllianceMembership.objects.all().delete()  # the plain one re-imports from its export
    result = _import(_dataset(*[(name, "elderly") for name in plain]))
    assert result.totals["new"] == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+86", "'+86"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("静安", "静安"),
        ("a=b", "a=b"),
        (3, 3),
    ],
)
def test_escape_cell(value, expected):
    assert escape_formula(value) == expected


def test_admin_import_previews_then_confirms(client):
    admin = FederationStaffFactory(is_superuser=True)
    client.force_login(admin)
    organisation = OrganisationFactory()
    csv = f"organisation,alliance\n{organisation.name},mediation\n".encode()
    response = client.post(
        "/admin/alliances/alliancemembership/import/",
        {"format": "0", "import_file": SimpleUploadedFile("m.csv", csv, "text/csv")},
    )
    assert response.status_code == 200
    assert not response.context["result"].has_validation_errors()
    assert not AllianceMembership.objects.exists()  # the preview is a dry run
    confirm = response.context["confirm_form"]
    response = client.post("/admin/alliances/alliancemembership/process_import/", confirm.initial)
    assert response.status_code == 302
    membership = AllianceMembership.objects.get()
    assert (membership.organisation, membership.alliance.code) == (organisation, "mediation")


def test_admin_import_shows_row_errors(client):
    client.force_login(FederationStaffFactory(is_superuser=True))
    csv = "organisation,alliance\n不存在的机构（虚构）,elderly\n".encode()
    client.cookies["django_language"] = "en"
    response = client.post(
        "/admin/alliances/alliancemembership/import/",
        {"format": "0", "import_file": SimpleUploadedFile("m.csv", csv, "text/csv")},
    )
    assert response.context["result"].has_validation_errors()
    assert "Row 2: no organisation" in response.content.decode()  # the header is row 1


def test_admin_export_xlsx_is_formula_escaped(client):
    client.force_login(FederationStaffFactory(is_superuser=True))
    AllianceMembershipFactory(organisation=OrganisationFactory(name="@cmd|' /C calc'!A0"))
    response = client.post(
        "/admin/alliances/alliancemembership/export/",
        {
            "format": "1",
            **{f"alliancemembershipresource_{name}": "on" for name in ("organisation", "alliance")},
        },
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert "'@cmd|' /C calc'!A0" in values


def test_import_finds_organisations_by_credit_code_in_any_case():
    organisation = OrganisationFactory(credit_code="52310106MJ0000034U")
    result = _import(_dataset(("52310106mj0000034u", "community")))
    assert result.totals["new"] == 1
    assert AllianceMembership.objects.get().organisation == organisation
    exported = AllianceMembershipResource().export()
    assert exported["credit_code"] == ["52310106MJ0000034U"]


def test_admin_import_reads_a_gbk_csv_with_a_title_row_and_chinese_headers(client):
    """Issue 11: the same reader as every import (core.tabular)."""
    client.force_login(FederationStaffFactory(is_superuser=True))
    organisation = OrganisationFactory()
    csv = (
        "各联盟成员单位汇总表（虚构）,\r\n,\r\n"
        f"社会组织名称（全称）,联盟代码\r\n{organisation.name},mediation\r\n,\r\n"
    ).encode("gbk")
    response = client.post(
        "/admin/alliances/alliancemembership/import/",
        {"format": "0", "import_file": SimpleUploadedFile("m.csv", csv, "text/csv")},
    )
    result = response.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["new"] == 1
