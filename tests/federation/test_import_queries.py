"""The organisation import at scale: its queries do not grow with the rows (issue 17)."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federation import services
from federation.creditcode import make_credit_code
from federation.models import MembershipEvent, Organisation
from federation.pinyin import pinyin_full
from federation.resources import OrganisationResource, import_error_list

from .factories import OrganisationFactory, error_codes, street

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "机构全称", "简称", "法律形式", "所属街道", "服务领域", "成立日期"]


def _rows(count: int, *, first: int = 1, short_name: str = "") -> list[list[str]]:
    return [
        [
            make_credit_code(f"52310106MQ{number:06d}"),
            f"上海市静安区查询计数测试服务社第{number}号（虚构）",
            short_name or f"计数{number}",
            "社会服务机构",
            "江宁路街道",
            "为老服务、健康服务" if number % 2 else "",
            "2015-06-01",
        ]
        for number in range(first, first + count)
    ]


def _import(rows, *, user, dry_run=False, headers=HEADERS):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    user = type(user).objects.get(pk=user.pk)  # each import asks for the permissions afresh
    with CaptureQueriesContext(connection) as queries:
        result = OrganisationResource().import_data(dataset, dry_run=dry_run, user=user)
    assert not result.has_errors() and not result.has_validation_errors(), import_error_list(result)
    return result, [query["sql"] for query in queries.captured_queries]


def _writes(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def _reads(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if sql not in _writes(sqls)]


def _inserted_table(sql: str) -> str:
    assert sql.startswith("INSERT INTO "), sql
    return sql.split('"')[1]


def test_creating_40_rows_runs_the_queries_of_20(staff):
    result20, queries20 = _import(_rows(20), user=staff)
    result40, queries40 = _import(_rows(40, first=21), user=staff)
    assert (result20.totals["new"], result40.totals["new"]) == (20, 40)
    assert len(_reads(queries40)) == len(_reads(queries20))
    # No savepoint per row: only the service's transaction (a savepoint inside the test's).
    assert len([sql for sql in queries40 if sql.startswith("SAVEPOINT")]) <= 1
    # Organisations, their membership events and service-field links: bulk INSERTs
    # (one each, unless the database limits the parameters of a query, as SQLite does).
    tables = {_inserted_table(sql) for sql in _writes(queries40)}
    assert tables == {
        "federation_organisation",
        "federation_membershipevent",
        "federation_organisation_service_fields",
    }
    if connection.features.max_query_params is None:
        assert len(_writes(queries40)) == len(_writes(queries20)) == 3
    assert Organisation.objects.count() == 60
    assert MembershipEvent.objects.filter(to_status="active").count() == 60
    organisation = Organisation.objects.get(name="上海市静安区查询计数测试服务社第21号（虚构）")
    assert set(organisation.service_fields.values_list("code", flat=True)) == {
        "elderly-care",
        "health",
    }
    assert organisation.name_pinyin == pinyin_full(organisation.name) and organisation.slug


def test_updating_40_rows_adds_only_their_updates(staff):
    _import(_rows(60), user=staff)
    _result, queries20 = _import(_rows(20, short_name="新简称"), user=staff)
    result40, queries40 = _import(_rows(40, first=21, short_name="新简称"), user=staff)
    assert result40.totals["update"] == 40
    assert len(_reads(queries40)) == len(_reads(queries20))
    # One UPDATE per changed organisation, nothing else written.
    assert [sql.split('"')[1] for sql in _writes(queries40)] == ["federation_organisation"] * 40
    assert Organisation.objects.filter(short_name="新简称").count() == 60


def test_a_dry_run_of_40_rows_runs_the_queries_of_20_and_writes_nothing(staff):
    _result, queries20 = _import(_rows(20), user=staff, dry_run=True)
    _result, queries40 = _import(_rows(40, first=21), user=staff, dry_run=True)
    assert len(queries40) == len(queries20)
    assert not _writes(queries40)
    assert not Organisation.objects.exists()


def test_two_new_rows_with_one_name_are_refused_by_the_write(staff):
    rows = _rows(2)
    rows[1][1] = rows[0][1]
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append(row)
    result = OrganisationResource().import_data(dataset, dry_run=False, user=staff)
    assert result.has_errors() and not Organisation.objects.exists()
    assert [error.error.code for error in result.base_errors] == ["import_row_invalid"]
    # The row a person sees: the header is row 1, so the second data row is row 3.
    assert result.base_errors[0].error.params["row"] == 3


def test_a_name_freed_by_a_rename_earlier_in_the_file_may_be_taken(staff):
    renamed = OrganisationFactory(name="改名前的测试社（虚构）", legal_form="other", credit_code="")
    entries = [
        services.OrganisationImportEntry(
            organisation_id=renamed.pk,
            details={"name": "改名后的测试社（虚构）"},
            status=renamed.status,
            row_number=2,
        ),
        services.OrganisationImportEntry(
            organisation_id=None,
            details={
                "name": "改名前的测试社（虚构）",
                "legal_form": "other",
                "street": street("310106006"),
            },
            row_number=3,
        ),
    ]
    outcomes = services.organisation_import(entries=entries, acting_user=staff)
    assert [(outcome.created, outcome.changed) for outcome in outcomes] == [
        (False, True),
        (True, True),
    ]
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "改名后的测试社（虚构）",
        "改名前的测试社（虚构）",
    }


def test_slugs_taken_in_the_registry_or_earlier_in_the_file_get_a_number(staff):
    # 是, 市 and 试 read the same: the three names share one pinyin slug.
    base = pinyin_full("静安区测是社（虚构）")
    assert pinyin_full("静安区测市社（虚构）") == pinyin_full("静安区测试社（虚构）") == base
    OrganisationFactory(name="静安区测是社（虚构）", slug=base)
    rows = [
        ["静安区测市社（虚构）", "其他", "江宁路街道"],
        ["静安区测试社（虚构）", "其他", "江宁路街道"],
    ]
    _import(rows, user=staff, headers=["机构全称", "法律形式", "所属街道"])
    assert Organisation.objects.get(name="静安区测市社（虚构）").slug == f"{base}-2"
    assert Organisation.objects.get(name="静安区测试社（虚构）").slug == f"{base}-3"


def test_the_write_refuses_a_credit_code_another_organisation_has(staff):
    code = make_credit_code("52310106MQ000999")
    OrganisationFactory(credit_code=code, legal_form="service_agency")
    entry = services.OrganisationImportEntry(
        organisation_id=None,
        details={
            "name": "信用代码重复测试社（虚构）",
            "legal_form": "service_agency",
            "credit_code": code,
            "street": street("310106006"),
        },
        row_number=2,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_import(entries=[entry], acting_user=staff)
    assert error_codes(excinfo.value) == {"import_row_invalid"}
    assert excinfo.value.__cause__.error_dict["credit_code"][0].code == "credit_code_taken"
    assert not Organisation.objects.filter(name="信用代码重复测试社（虚构）").exists()
