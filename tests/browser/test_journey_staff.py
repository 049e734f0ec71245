"""Federation staff on a phone: the workbench, check-in at the door by typed code, hours, the back office."""

import datetime

import pytest
from django.utils import timezone

from events.models import Registration
from federation.models import Organisation
from tests.browser.conftest import goto, login
from tests.browser.journey import check_page, open_from_workbench, visit
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import FederationStaffFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_check_someone_in_at_the_door_on_a_phone(phone):
    staff = FederationStaffFactory(name="工作人员甲（虚构）")
    OrganisationFactory(status=Organisation.Status.APPLIED)
    now = timezone.now()
    event = EventFactory(
        title="月月·大篷车 今日场",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
        registration_closes_at=now - datetime.timedelta(hours=1),
    )
    person = ParticipantFactory(name="王雅琴（虚构）", mobile="13900004321")
    registration = RegistrationFactory(event=event, participant=person)

    login(phone, staff.email, next_path="/")
    phone.click(".navbar-toggler")
    with phone.expect_navigation():
        phone.click("#nav-work")
    check_page(phone, "staff-1-workbench")
    assert phone.locator("#waiting-applications").inner_text().strip() == "1"
    hrefs = phone.locator("#work-items a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in ("/events/check-in/", "/events/hours/", "/admin/"):
        assert href in hrefs, (href, hrefs)
    assert "/fund/manage/" not in hrefs  # only for the fund's managers and auditors

    open_from_workbench(phone, "/events/check-in/")
    check_page(phone, "staff-2-check-in-index")
    with phone.expect_navigation():
        phone.locator(f'a[href="/events/{event.slug}/check-in/"]').click()
    check_page(phone, "staff-3-check-in")
    phone.fill("input[name=q]", "4321")
    with phone.expect_navigation():
        phone.get_by_role("button", name="签到 / 查找").click()
    assert "王雅琴" in phone.locator(".list-group").inner_text()
    with phone.expect_navigation():
        phone.get_by_role("button", name="签到", exact=True).click()
    check_page(phone, "staff-4-checked-in")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED

    visit(phone, f"/events/{event.slug}/attendance/", "staff-5-attendance")
    card = phone.locator("table.yilu-stack tbody tr").first
    assert "王雅琴" in card.inner_text()

    goto(phone, "/work/")
    open_from_workbench(phone, "/events/hours/")
    check_page(phone, "staff-6-hours")

    goto(phone, "/admin/")
    assert phone.locator("#waiting-applications").inner_text().strip() == "1"
    goto(phone, "/admin/notifications/message/")
    goto(phone, "/admin/notifications/reminderrule/")
