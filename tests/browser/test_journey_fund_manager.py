"""A Spring Bud Fund manager on a phone: the back office from the menu, its forms styled and on screen.

The forms' behaviour (formsets, ISO dates) is tested in test_fund_forms.py; this
journey checks how they look: Bootstrap controls, labels above inputs, no
control wider than the screen.
"""

import pytest

from funds.models import Fund
from tests.browser.conftest import login
from tests.browser.journey import check_page, open_from_workbench, visit
from tests.events.factories import EventFactory
from tests.funds.factories import FundManagerFactory, give

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# An event title long enough to make an unstyled <select> wider than a phone.
LONG_EVENT = (
    "静安区社会组织公益伙伴日暨春芽基金慈善义卖与公益演出专场活动（南京西路街道会场，示例）"
)


def assert_form_is_styled(page):
    """Every visible control has Bootstrap's class, sits inside the screen, under its label."""
    controls = page.locator(
        "main form input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]),"
        " main form select, main form textarea"
    )
    assert controls.count() > 0
    for index in range(controls.count()):
        control = controls.nth(index)
        classes = control.get_attribute("class") or ""
        name = control.get_attribute("name")
        assert "form-control" in classes or "form-select" in classes, (name, classes)
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
        control_id = control.get_attribute("id")
        label = page.locator(f'label[for="{control_id}"]')
        if control_id and label.count():
            label_box = label.first.bounding_box()
            assert label_box["y"] + label_box["height"] <= box["y"] + 1, (
                f"{name}: label beside input"
            )


def test_fund_manager_records_gifts_on_a_phone(phone):
    manager = FundManagerFactory(name="基金经理甲（虚构）")
    fund = Fund.objects.get()
    give(fund, manager, "1200.00")
    EventFactory(title=LONG_EVENT)

    login(phone, manager.email, next_path="/")
    open_from_workbench(phone, "/fund/manage/")
    check_page(phone, "fund-1-dashboard")
    base = f"/fund/manage/{fund.code}"

    visit(phone, f"{base}/donations/new/", "fund-2-donation-form")
    assert_form_is_styled(phone)
    visit(phone, f"{base}/charity-sales/new/", "fund-3-charity-sale-form")
    assert_form_is_styled(phone)
    visit(phone, f"{base}/pledges/new/", "fund-4-pledge-form")
    assert_form_is_styled(phone)
    visit(phone, f"{base}/donations/", "fund-5-donations")
    visit(phone, f"{base}/ledger/", "fund-6-ledger")
    visit(phone, f"{base}/trial-balance/", "fund-7-trial-balance")
    visit(phone, f"{base}/grants/", "fund-8-grants")
