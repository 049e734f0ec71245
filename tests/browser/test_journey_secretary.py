"""An alliance secretary on a phone: the alliance's events from the workbench, deciding an application."""

import pytest

from alliances import services
from alliances.models import AllianceMembership
from tests.alliances.factories import alliance, secretary_of
from tests.browser.conftest import goto, login
from tests.browser.journey import check_page, open_from_workbench, visit
from tests.events.factories import EventFactory
from tests.federation.factories import OrgAdminFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_secretary_decides_an_application_on_a_phone(phone):
    secretary = secretary_of("elderly", name="周*芳（虚构秘书长）")
    applicant = OrgAdminFactory(user__name="李*明（虚构）").user
    organisation = applicant.organisation_memberships.get().organisation
    membership = services.alliance_membership_apply(
        organisation=organisation, alliance=alliance("elderly"), note="", acting_user=applicant
    )
    EventFactory(title="为老服务联盟团队建设：城市定向（示例）", alliance=alliance("elderly"))

    login(phone, secretary.email, next_path="/")
    open_from_workbench(phone, "/my/alliance-events/")
    check_page(phone, "secretary-1-alliance-events")

    goto(phone, "/work/")
    open_from_workbench(phone, "/alliances/manage/")
    check_page(phone, "secretary-2-manage-list")
    visit(phone, "/alliances/elderly/manage/", "secretary-3-manage")
    card = phone.locator(".card", has_text=organisation.name)
    with phone.expect_navigation():
        card.get_by_role("button", name="批准").click()
    check_page(phone, "secretary-4-approved")
    membership.refresh_from_db()
    assert membership.status == AllianceMembership.Status.ACTIVE
    # The history reads as an application (待审核), not as an outbox message (待发送).
    history = phone.locator("table", has_text=organisation.name).inner_text()
    assert "待审核 → " in history and "待发送" not in history, history
