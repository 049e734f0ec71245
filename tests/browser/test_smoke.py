"""The browser harness itself: the public pages open on a phone, in Chinese, with nothing off screen."""

import pytest

from tests.browser.conftest import goto, horizontal_overflow, login, screenshot
from tests.federation.factories import OrgAdminFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/events/", "/organisations/", "/fund/", "/alliances/"])
def test_public_pages_fit_a_phone_in_chinese(phone, path):
    goto(phone, path)
    assert phone.locator("html").get_attribute("lang").lower() == "zh-hans"
    screenshot(phone, "public" + path.replace("/", "_"))
    assert horizontal_overflow(phone) <= 0, f"{path} scrolls sideways on a 390 px phone"


def test_an_org_admin_logs_in_through_the_form_and_reaches_my_page(phone):
    admin = OrgAdminFactory()
    login(phone, admin.user.email, next_path="/my/")
    assert phone.url.endswith("/my/"), phone.url
    assert admin.organisation.name in phone.content()
    assert horizontal_overflow(phone) <= 0
