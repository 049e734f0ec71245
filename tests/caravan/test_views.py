import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from caravan.models import BoothApplication, ServiceRecord
from caravan.selectors import booth_matrix, caravan_list_public
from tests.caravan.factories import (
    caravan_on,
    hosted,
    in_days,
    qualified,
    record,
    series_with_plan,
    slot_for,
)
from tests.events.factories import ParticipantFactory
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
)
from tests.funds.factories import FundManagerFactory

pytestmark = pytest.mark.django_db


def _this_month_day() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=1) if today.day < 28 else today


def _populate(count: int):
    """``count`` caravans this/next month, each with four slots, hosts and people."""
    for n in range(count):
        caravan = caravan_on(in_days(1 + n))
        for code in ("blood-pressure", "legal", "jewellery"):
            organisation = OrganisationFactory(name=f"=cmd 组织{n}{code}")
            application = hosted(slot_for(caravan, code), organisation)
            person = qualified(organisation, "nurse")
            application.people.add(person)
        slot_for(caravan, "fire-drill")


@pytest.mark.parametrize("count", [1, 4])
def test_public_page_queries_do_not_grow(client, django_assert_max_num_queries, count):
    _populate(count)
    record("blood-pressure", datetime.date(2012, 5, 19), 40, source="import")
    # Ten: the public page prefetches the hosts only, not their people and qualifications.
    with django_assert_max_num_queries(10):
        response = client.get("/caravan/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "40" in body and "fire-drill" not in body
    assert len(caravan_list_public()) == count


@pytest.mark.parametrize("count", [1, 4])
def test_matrix_queries_do_not_grow(client, django_assert_max_num_queries, count):
    _populate(count)
    client.force_login(FederationStaffFactory())
    with django_assert_max_num_queries(14):
        response = client.get(f"/caravan/manage/matrix/?year={in_days(1).year}")
    assert response.status_code == 200
    assert response.content.decode().count("badge text-bg-warning") >= count


def test_matrix_flags_open_slots_and_invalid_qualifications():
    caravan = caravan_on(in_days(20))
    application = hosted(slot_for(caravan, "legal"))
    application.people.add(ParticipantFactory(organisation=application.organisation))
    slot_for(caravan, "jewellery")
    matrix = booth_matrix(year=caravan.held_on.year)
    slots = [slot for row in matrix.rows for cell in row.cells for slot in cell]
    legal = next(s for s in slots if s.service_kind.code == "legal")
    jewellery = next(s for s in slots if s.service_kind.code == "jewellery")
    assert legal.qualification_state == "invalid"
    assert jewellery.host is None


def test_matrix_xlsx_escapes_formulas(client):
    _populate(1)
    client.force_login(FederationStaffFactory())
    response = client.get(f"/caravan/manage/matrix.xlsx?year={in_days(1).year}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(str(v).startswith("'=cmd") for v in values)
    assert not any(str(v).startswith("=") for v in values)


def test_staff_pages_need_the_caravan_role(client):
    client.force_login(OrgAdminFactory().user)
    for url in ("/caravan/manage/", "/caravan/manage/matrix/", "/caravan/manage/totals/"):
        assert client.get(url).status_code == 403


def test_an_org_admin_applies_from_my(client):
    admin = OrgAdminFactory()
    slot = slot_for(caravan_on(in_days(20)))
    nurse = qualified(admin.organisation, "nurse")
    client.force_login(admin.user)
    assert client.get("/my/caravan/").status_code == 200
    assert client.get(f"/my/caravan/slots/{slot.pk}/apply/").status_code == 200
    response = client.post(f"/my/caravan/slots/{slot.pk}/apply/", {"people": [nurse.pk]})
    assert response.status_code == 302
    assert BoothApplication.objects.get(slot=slot).organisation == admin.organisation


def test_another_organisations_booth_and_record_are_404(client):
    admin = OrgAdminFactory()
    theirs = hosted(slot_for(caravan_on(in_days(-1))))
    client.force_login(admin.user)
    assert client.get(f"/my/caravan/booths/{theirs.pk}/record/").status_code == 404
    assert (
        client.post(f"/my/caravan/booths/{theirs.pk}/record/", {"people_served": 3}).status_code
        == 404
    )
    assert client.post(f"/my/caravan/booths/{theirs.pk}/withdraw/").status_code == 404
    assert not ServiceRecord.objects.exists()
    assert BoothApplication.objects.get(pk=theirs.pk).status == "confirmed"


def test_the_host_records_from_my(client):
    admin = OrgAdminFactory()
    ours = hosted(slot_for(caravan_on(in_days(-1))), admin.organisation)
    client.force_login(admin.user)
    response = client.post(f"/my/caravan/booths/{ours.pk}/record/", {"people_served": 37})
    assert response.status_code == 302
    assert ours.record.people_served == 37


def test_post_proceeds_from_the_totals_page(client):
    from funds.chart import seed_spring_bud_fund
    from funds.models import Account, CharitySale, Fund

    seed_spring_bud_fund(Fund, Account)
    sale = record(
        "vegetable-basket",
        in_days(-3),
        20,
        organisation=OrganisationFactory(name="上海城市福祉社（虚构）"),
        turnover=Decimal("600.00"),
        share_percent=Decimal("100"),
        proceeds=Decimal("600.00"),
    )
    client.force_login(FundManagerFactory(federation_staff=True))
    page = client.get(f"/caravan/manage/totals/?year={sale.held_on.year}")
    assert "600" in page.content.decode()
    url = f"/caravan/manage/records/{sale.pk}/post/"
    client.post(url, {"received_on": in_days(-1).isoformat()})
    client.post(url, {"received_on": in_days(-1).isoformat()})
    assert CharitySale.objects.count() == 1


def test_history_import_from_a_spreadsheet(client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "服务", "人数", "组织", "营业额", "备注"])
    sheet.append(["２００９－０６－２０", "blood-pressure", "３５", "", "", "首期"])
    sheet.append([datetime.date(2010, 6, 19), "legal", 12, "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "history.xlsx"
    client.force_login(FederationStaffFactory())
    client.post("/caravan/manage/import/", {"file": buffer})
    assert sorted(ServiceRecord.objects.values_list("people_served", flat=True)) == [12, 35]


def test_people_served_is_a_street_figure():
    from caravan.selectors import people_served_in_street
    from federation.models import Street
    from federation.street_figures import street_figures

    street, other = Street.objects.order_by("code")[:2]
    caravan = caravan_on(in_days(-3), street=street)
    record("blood-pressure", caravan.held_on, 42, application=hosted(slot_for(caravan)))
    record("legal", caravan.held_on, 7, source="import")  # history: no caravan, no street
    year = caravan.held_on.year
    assert people_served_in_street(street_id=street.pk, year=year) == 42
    assert people_served_in_street(street_id=other.pk, year=year) == 0
    values = [
        value for _label, value in street_figures(street_id=street.pk, year=year, public_only=True)
    ]
    assert 42 in values


def test_without_a_series_the_planning_page_says_to_set_one_up(client):
    """An empty required menu left the browser refusing the form with no word from the page."""
    client.force_login(FederationStaffFactory())
    page = client.get("/caravan/manage/").content.decode()
    assert 'id="no-series"' in page and 'action="/caravan/manage/generate/"' not in page
    series_with_plan()
    page = client.get("/caravan/manage/").content.decode()
    assert 'id="no-series"' not in page and 'action="/caravan/manage/generate/"' in page
