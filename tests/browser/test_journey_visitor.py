"""A visitor on a phone: news of events in Chinese and English, an .ics, the fund's figures, no tap to nowhere."""

import pytest

from funds.models import Fund
from tests.browser.journey import check_page, visit
from tests.events.factories import EventFactory
from tests.funds.factories import FundManagerFactory, give

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _one_line(locator) -> bool:
    """True when the element's text is laid out on a single line."""
    return locator.evaluate(
        """el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return tops.size === 1;
        }"""
    )


def test_visitor_browses_events_and_the_fund_on_a_phone(phone):
    manager = FundManagerFactory()
    give(Fund.objects.get(), manager, "123456.78")
    event = EventFactory(title="社区志愿者急救技能公开课（示例）")

    visit(phone, "/", "visitor-1-home")
    for amount in phone.locator(".yilu-num", has_text="¥").all():
        assert _one_line(amount), amount.inner_text()

    visit(phone, "/events/", "visitor-2-events")
    visit(phone, "/events/calendar/", "visitor-3-calendar")
    visit(phone, event.get_absolute_url(), "visitor-4-event")
    login_button = phone.locator("#event-login")
    assert login_button.is_visible()
    assert "/accounts/login/?next=" in login_button.get_attribute("href")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="加入日历（.ics）").click()
    assert download.value.suggested_filename.endswith(".ics")

    phone.click(".navbar-toggler")
    with phone.expect_navigation():
        phone.get_by_role("button", name="English").click()
    assert phone.locator("html").get_attribute("lang") == "en"
    check_page(phone, "visitor-5-event-en")
    phone.click(".navbar-toggler")
    with phone.expect_navigation():
        phone.locator("button[name=language][value=zh-hans]").click()
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"

    visit(phone, "/fund/", "visitor-6-fund")
    for amount in phone.locator("td.yilu-num", has_text="¥").all():
        assert _one_line(amount), amount.inner_text()
    visit(phone, "/fund/gifts/", "visitor-7-gifts")
    favicon = phone.request.get(phone.base_url + "/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"].startswith("image/"), favicon.status
