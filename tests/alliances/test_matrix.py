from io import BytesIO

import pytest
from openpyxl import load_workbook

from alliances.models import AllianceMembership
from alliances.selectors import MatrixFilters, alliance_matrix
from federation.models import Street
from tests.federation.factories import (
    FederationStaffFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import AllianceMembershipFactory, alliance, secretary_of

pytestmark = pytest.mark.django_db

Status = AllianceMembership.Status


def _cells(rows):
    return {row.organisation.name: row.cells for row in rows}


def test_matrix_shows_live_status_per_alliance_in_alliance_order():
    staff = FederationStaffFactory()
    a = OrganisationFactory(name="甲机构（虚构）")
    b = OrganisationFactory(name="乙机构（虚构）")
    AllianceMembershipFactory(organisation=a, alliance=alliance("elderly"))
    AllianceMembershipFactory(organisation=a, alliance=alliance("philanthropy"), status="pending")
    AllianceMembershipFactory(organisation=b, alliance=alliance("youth"), status="left")
    alliances, rows = alliance_matrix(user=staff, filters=MatrixFilters())
    assert [x.code for x in alliances][0] == "elderly" and len(alliances) == 7
    cells = _cells(rows)
    assert cells["甲机构（虚构）"] == ["active", "", "", "", "", "", "pending"]
    assert cells["乙机构（虚构）"] == [""] * 7
    assert next(r for r in rows if r.organisation == a).active_count == 1


def test_matrix_filters():
    staff = FederationStaffFactory()
    streets = list(Street.objects.order_by("code")[:2])
    a = OrganisationFactory(name="静安甲（虚构）", street=streets[0])
    b = OrganisationFactory(name="静安乙（虚构）", street=streets[1], status="lapsed")
    c = OrganisationFactory(name="丙（虚构）", street=streets[1])
    AllianceMembershipFactory(organisation=a, alliance=alliance("elderly"))
    AllianceMembershipFactory(organisation=a, alliance=alliance("youth"))
    AllianceMembershipFactory(organisation=b, alliance=alliance("youth"), status="pending")

    def names(**kwargs):
        return {
            r.organisation.name
            for r in alliance_matrix(user=staff, filters=MatrixFilters(**kwargs))[1]
        }

    assert names(q="静安") == {a.name, b.name}
    assert names(street=streets[1]) == {b.name, c.name}
    assert names(alliance=alliance("youth")) == {a.name, b.name}
    assert names(organisation_status="lapsed") == {b.name}
    assert names(only_members=True) == {a.name}


def test_matrix_is_for_staff_only(client):
    assert alliance_matrix(user=secretary_of("elderly"), filters=MatrixFilters()) == ([], [])
    client.force_login(UserFactory())
    assert client.get("/alliances/overview/").status_code == 404
    assert client.get("/alliances/overview/export.xlsx").status_code == 404
    client.force_login(secretary_of("youth"))
    assert client.get("/alliances/overview/").status_code == 404


@pytest.mark.parametrize("size", [5, 60])
def test_matrix_page_query_count_is_constant(client, django_assert_max_num_queries, size):
    for _ in range(size):
        membership = AllianceMembershipFactory()
        AllianceMembershipFactory(organisation=membership.organisation, alliance=alliance("youth"))
    client.force_login(FederationStaffFactory())
    with django_assert_max_num_queries(9):  # 8 before the page count
        response = client.get("/alliances/overview/")
    assert len(response.context["rows"]) == min(size, 50)
    assert response.context["paginator"].count == size


def test_matrix_page_shows_fifty_organisations_a_page(client):
    for index in range(53):
        AllianceMembershipFactory(organisation=OrganisationFactory(name=f"机构{index:03d}（虚构）"))
    client.force_login(FederationStaffFactory())
    first = client.get("/alliances/overview/", {"alliance": "elderly"})
    assert len(first.context["rows"]) == 50
    assert "alliance=elderly&amp;page=2" in first.content.decode()
    second = client.get("/alliances/overview/", {"alliance": "elderly", "page": "2"})
    assert [row.organisation.name for row in second.context["rows"]] == [
        "机构050（虚构）",
        "机构051（虚构）",
        "机构052（虚构）",
    ]


def test_matrix_page_applies_filters_from_the_query_string(client):
    AllianceMembershipFactory(organisation=OrganisationFactory(name="为老甲（虚构）"))
    OrganisationFactory(name="无联盟乙（虚构）")
    client.force_login(FederationStaffFactory())
    response = client.get("/alliances/overview/", {"alliance": "elderly"})
    assert [r.organisation.name for r in response.context["rows"]] == ["为老甲（虚构）"]
    assert "alliance=elderly" in response.content.decode()


def test_matrix_export_is_an_xlsx_with_formula_escaping(client):
    evil = [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(1)",
        "\t=1",
        "\r=1",
    ]
    for name in evil:
        AllianceMembershipFactory(organisation=OrganisationFactory(name=name))
    OrganisationFactory(name="普通机构（虚构）")
    client.force_login(FederationStaffFactory())
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/overview/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Organisation", "Street", "Membership status")
    assert rows[0][3] == "Elderly Services Alliance"
    names = {row[0] for row in rows[1:]}
    # (XML turns a stored CR into LF on reading.)
    assert names == {"'" + name.replace("\r", "\n") for name in evil} | {"普通机构（虚构）"}
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["'+1+1"][3] == "active"
    assert by_name["'+1+1"][-1] == 1
    assert by_name["普通机构（虚构）"][-1] == 0


def test_matrix_page_keeps_valid_filters_and_names_the_invalid_one(client):
    AllianceMembershipFactory(organisation=OrganisationFactory(name="为老甲（虚构）"))
    OrganisationFactory(name="无联盟乙（虚构）")
    client.force_login(FederationStaffFactory())
    client.cookies["django_language"] = "en"
    response = client.get("/alliances/overview/", {"alliance": "elderly", "street": "abc"})
    assert response.status_code == 200
    assert [r.organisation.name for r in response.context["rows"]] == ["为老甲（虚构）"]
    assert "street" in response.context["form"].errors
    assert "Some filters were not understood" in response.content.decode()
    export = client.get("/alliances/overview/export.xlsx", {"street": "999999"})
    assert export.status_code == 200
