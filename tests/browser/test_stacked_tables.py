"""The fund back office's tables and the quarterly plan stack as cards on a phone (issue 16).

No table there scrolls inside its own box any more: at 390 px each row is a
card of "label: value" lines, nothing runs one character a line, numbers keep
to one line, and the page never scrolls sideways.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances.models import Alliance
from core.timezone import SHANGHAI
from events.models import Event
from funds import services
from tests.browser.conftest import goto, login
from tests.browser.journey import check_page
from tests.events.factories import EventFactory
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory
from tests.funds.conftest import fund, manager, manager2  # noqa: F401 - fixtures
from tests.funds.factories import give, grant_under_review, past_day

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FUND_PAGES = [
    "/fund/manage/SBF/ledger/",
    "/fund/manage/SBF/trial-balance/",
    "/fund/manage/SBF/donations/",
    "/fund/manage/SBF/charity-sales/",
    "/fund/manage/SBF/pledges/",
    "/fund/manage/SBF/grants/",
    "/fund/manage/SBF/ledger/new/",
]

# Tables not stacked (boxes that scroll), and numbers that wrap onto a second line.
_STACK_DEFECTS_JS = """() => {
  const found = [];
  for (const box of document.querySelectorAll('main .table-responsive')) found.push('scroll box');
  for (const table of document.querySelectorAll('main table')) {
    if (!table.classList.contains('yilu-stack')) found.push('table not stacked');
    else if (getComputedStyle(table).display !== 'block') found.push('stacked table not stacked');
  }
  for (const el of document.querySelectorAll('main .yilu-num')) {
    const text = (el.innerText || '').trim();
    if (!text || !el.getClientRects().length) continue;
    const half = parseFloat(getComputedStyle(el).fontSize) / 2;
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && !tops.some(top => Math.abs(top - rect.top) < half)) tops.push(rect.top);
      }
    }
    if (tops.length > 1) found.push('wrapped number "' + text.slice(0, 20) + '"');
  }
  return found;
}"""


def _fund_data(fund, manager, manager2):  # noqa: F811
    give(fund, manager, amount="12345678.90")
    services.charity_sale_record(
        fund=fund,
        new_company=services.NewDonor(kind="company", name="上海塞沃斯户外用品（SWS，虚构）"),
        title="春芽工程首场爱心义卖",
        starts_on=past_day(14),
        ends_on=past_day(10),
        turnover=Decimal("180000.00"),
        share_percent=Decimal("20"),
        expected_proceeds=Decimal("36000.00"),
        received_on=past_day(9),
        acting_user=manager,
    )
    services.pledge_create(
        fund=fund,
        new_donor=services.NewDonor(kind="company", name="上海城市福祉社（虚构）"),
        description="每月20筐生蔬",
        income_kind="charity_sale",
        starts_on=past_day(70),
        instalment_count=6,
        acting_user=manager,
    )
    admin = OrgAdminFactory()
    grant = grant_under_review(fund, admin.user, admin.organisation, manager, amount="8000.00")
    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)


def _check(page, path, name):
    goto(page, path)
    check_page(page, name)
    assert page.evaluate(_STACK_DEFECTS_JS) == [], path


def test_fund_back_office_tables_stack_on_a_phone(phone, fund, manager, manager2):  # noqa: F811
    _fund_data(fund, manager, manager2)
    login(phone, manager.email, next_path="/fund/manage/SBF/")
    for path in FUND_PAGES:
        _check(phone, path, "stacked" + path.replace("/", "_"))
    pledge = fund.pledges.get()
    _check(phone, f"/fund/manage/SBF/pledges/{pledge.pk}/", "stacked_fund_pledge_detail")
    entry = fund.entries.order_by("pk").first()
    _check(phone, f"/fund/manage/SBF/ledger/{entry.number}/", "stacked_fund_entry_detail")


def test_the_quarterly_plan_stacks_on_a_phone(phone):
    elderly = Alliance.objects.get(code="elderly")
    year = timezone.localdate().year
    for month, kind in ((2, Event.Kind.TEAM_BUILDING), (5, Event.Kind.TRAINING)):
        starts = datetime.datetime(year, month, 10, 9, tzinfo=SHANGHAI)
        EventFactory(
            alliance=elderly,
            kind=kind,
            title="为老服务联盟季度培训（虚构）",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
    staff = FederationStaffFactory()
    login(phone, staff.email, next_path="/events/quarterly-plan/")
    _check(phone, "/events/quarterly-plan/", "stacked_quarterly_plan")
