"""An organisation's admin on a phone: registrations, e-tickets, people and roles, participants."""

import datetime
from decimal import Decimal

import pytest

from events.models import Registration
from tests.browser.conftest import login
from tests.browser.journey import check_page, visit
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory, in_days
from tests.federation.factories import OrgAdminFactory, OrganisationMemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_TITLE = "为老服务联盟团队建设：城市定向与社区微更新体验（2026年第4季度）"


def _registrations(organisation):
    people = ParticipantFactory.create_batch(2, organisation=organisation)
    upcoming = EventFactory(title=LONG_TITLE, starts_at=in_days(7, 9))
    for person in people:
        RegistrationFactory(event=upcoming, participant=person)
    past = EventFactory(title="社区志愿者急救技能公开课", starts_at=in_days(-7, 9))
    RegistrationFactory(
        event=past,
        participant=people[0],
        status=Registration.Status.ATTENDED,
        checked_in_at=past.starts_at + datetime.timedelta(minutes=5),
        hours=Decimal("2.50"),
    )


def test_org_admin_runs_registrations_and_people_on_a_phone(phone):
    admin = OrgAdminFactory()
    organisation = admin.organisation
    OrganisationMemberFactory(organisation=organisation)
    _registrations(organisation)
    login(phone, admin.user.email, next_path="/my/")
    check_page(phone, "org-admin-1-my")

    visit(phone, "/my/registrations/", "org-admin-2-registrations")
    cards = phone.locator("table.yilu-stack tbody tr")
    assert cards.count() == 3
    # The title reads as a line, not a column of characters; its buttons are on screen.
    title = phone.get_by_role("link", name=LONG_TITLE).first.bounding_box()
    assert title["width"] > 200, title
    for name in ("电子票", "取消"):
        button = phone.get_by_role("link", name=name, exact=True).first.bounding_box()
        assert button["x"] >= 0 and button["x"] + button["width"] <= 390, (name, button)
    # 2.5 hours shows whole, on one line.
    hours = phone.locator("td[data-label='时长']").first
    assert hours.inner_text().strip() == "2.50"

    visit(phone, "/my/members/", "org-admin-3-members")
    role = phone.locator("select[name=role]").first
    text_width = role.evaluate(
        """select => {
            const context = document.createElement('canvas').getContext('2d');
            context.font = getComputedStyle(select).font;
            return context.measureText(select.options[select.selectedIndex].text).width;
        }"""
    )
    assert role.evaluate("s => s.clientWidth") >= text_width + 24, "the role menu cuts its text"

    visit(phone, "/my/participants/", "org-admin-4-participants")
    visit(phone, "/my/grants/", "org-admin-5-grants")
