"""The staff dashboard and an evidence pack on a phone, in Chinese: nothing off screen."""

import pytest

from tests.browser.conftest import goto, horizontal_overflow, login, screenshot
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_read_the_dashboard_on_a_phone_and_open_a_table(phone):
    staff = FederationStaffFactory()
    login(phone, staff.email, next_path="/staff/")
    goto(phone, "/staff/")

    assert phone.locator("h1").inner_text().startswith("数据看板")
    assert horizontal_overflow(phone) <= 0, "the dashboard scrolls sideways on a 390 px phone"
    chart = phone.locator("#panel-members-street svg")
    assert chart.bounding_box()["width"] <= 390
    table = phone.locator("#panel-members details")
    assert not table.locator("table").is_visible()
    table.locator("summary").click()  # the table is one tap away
    assert table.locator("table").is_visible()
    screenshot(phone, "staff_dashboard")


def test_an_org_admin_reads_their_evidence_pack_on_a_phone(phone):
    admin = OrgAdminFactory()
    login(phone, admin.user.email, next_path="/my/")
    goto(phone, "/my/evidence/")

    assert admin.organisation.name in phone.content()
    assert phone.get_by_text("下载（PDF）").is_visible()
    assert horizontal_overflow(phone) <= 0
    screenshot(phone, "evidence_pack")
