"""The public disclosure: masked names, charts without scripts, totals equal to the ledger."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from core.timezone import SHANGHAI
from funds import services
from funds.models import Donor, Grant, Posting
from funds.money import format_yuan
from tests.federation.factories import OrgAdminFactory

from .factories import give, grant_under_review, past_day

pytestmark = pytest.mark.django_db

PERSONAL_NAMES = ["王小明", "赵爱心", "钱多多", "张三明", "孙悟净"]


def _ledger_sum(fund, kind, **filters):
    """Straight from the postings, without the selectors: credit − debit (income) etc."""
    postings = Posting.objects.filter(account__fund=fund, account__kind=kind, **filters)
    debit = postings.filter(side="debit").aggregate(s=Sum("amount"))["s"] or Decimal("0")
    credit = postings.filter(side="credit").aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return debit - credit


@pytest.fixture
def disclosed(clock, disclosure_day, fund, manager, manager2, organisation):
    """A year and a half of gifts and grants, with people who must never be named in full."""
    org_admin = OrgAdminFactory(organisation=organisation, user__name="孙悟净").user
    clock.set(datetime.datetime.combine(disclosure_day, datetime.time(10), tzinfo=SHANGHAI))
    last_year = timezone.localdate().year - 1
    recent = max(past_day(), datetime.date(last_year + 1, 1, 1))  # this year's, even on 5 Jan
    give(fund, manager, amount="1000.00", received_on=datetime.date(last_year, 3, 5))
    give(
        fund,
        manager,
        amount="2000.50",
        new_donor=services.NewDonor(kind=Donor.Kind.INDIVIDUAL, name="赵爱心"),
        received_on=datetime.date(last_year, 9, 5),
    )
    give(
        fund,
        manager,
        amount="300.00",
        received_on=recent,
        new_donor=services.NewDonor(
            kind=Donor.Kind.INDIVIDUAL, name="钱多多", public_display="anonymous"
        ),
    )
    give(
        fund,
        manager,
        amount="5000.00",
        received_on=recent,
        new_donor=services.NewDonor(kind=Donor.Kind.COMPANY, name="静安示范科技有限公司（虚构）"),
    )
    give(
        fund,
        manager,
        amount="800.00",
        received_on=recent,
        new_donor=services.NewDonor(
            kind=Donor.Kind.COMPANY, name="不愿具名公司（虚构）", public_display="anonymous"
        ),
    )
    services.donation_record(
        fund=fund,
        amount=Decimal("66.60"),
        channel="donation_box",
        received_on=recent,
        acting_user=manager,
    )
    mistaken = give(fund, manager, amount="999.99", received_on=recent)
    services.journal_entry_reverse(entry=mistaken.entry, reason="重复录入", acting_user=manager)
    services.charity_sale_record(
        fund=fund,
        new_company=services.NewDonor(kind=Donor.Kind.COMPANY, name="上海塞沃斯户外用品（SWS）"),
        title="爱心义卖",
        starts_on=datetime.date(last_year, 1, 10),
        ends_on=datetime.date(last_year, 1, 14),
        turnover=Decimal("12345.65"),
        share_percent=Decimal("10"),
        received_on=datetime.date(last_year, 1, 20),
        acting_user=manager,
    )
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="1500.00")
    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)
    services.grant_pay(grant=grant, paid_on=timezone.localdate(), acting_user=manager)
    project = grant_under_review(
        fund,
        org_admin,
        organisation,
        manager,
        amount="700.00",
        kind=Grant.Kind.PROJECT,
        purpose=Grant.Purpose.COMMUNITY_PROJECT,
        beneficiary_name="",
        title="睦邻点项目",
        starts_on=timezone.localdate() - datetime.timedelta(days=200),
        ends_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    services.grant_approve(grant=project, acting_user=manager)
    services.grant_approve(grant=project, acting_user=manager2)
    return fund


def test_public_page_shows_no_unmasked_personal_name(client, disclosed):
    for url in ("/fund/", "/fund/gifts/"):
        client.cookies["django_language"] = "en"
        content = client.get(url).content.decode()
        for name in PERSONAL_NAMES:
            assert name not in content, (url, name)
    client.cookies["django_language"] = "en"
    content = client.get("/fund/").content.decode()
    assert "王*明" in content and "赵*心" in content and "张*明" in content
    assert "静安示范科技有限公司（虚构）" in content  # companies are named …
    assert "不愿具名公司" not in content  # … unless they chose anonymity
    assert "Caring company" in content and "Caring person" in content
    assert format_yuan(Decimal("999.99")) not in content  # the reversed gift is gone


def test_public_page_totals_match_the_ledger_to_the_cent(client, disclosed):
    fund = disclosed
    client.cookies["django_language"] = "en"
    response = client.get("/fund/")
    summary = response.context["summary"]
    income = -_ledger_sum(fund, "income")
    expense = _ledger_sum(fund, "expense")
    assert summary.income == income == Decimal("10401.67")  # 1234.57 sale + 9167.10 gifts
    assert summary.expense == expense == Decimal("2200.00")
    assert summary.net_assets == _ledger_sum(fund, "asset") + _ledger_sum(fund, "liability")
    content = response.content.decode()
    for amount in (income, expense, summary.net_assets):
        assert format_yuan(amount) in content

    years = response.context["years"]
    assert sum(row.income for row in years) == income
    assert sum(row.expense for row in years) == expense
    assert years[-1].balance == summary.net_assets
    for row in years:
        assert row.income == -_ledger_sum(fund, "income", entry_on__year=row.year)

    channels = dict((account.role, amount) for account, amount in response.context["income"])
    assert channels["charity_sale_income"] == Decimal("1234.57")
    assert sum(channels.values()) == income
    purposes = response.context["purposes"]
    assert sum(amount for _label, _count, amount in purposes) == expense

    gifts_total = sum(gift.amount for gift in response.context["gifts"])
    assert gifts_total == income  # fewer than 20 gifts: the list is complete
    assert response.context["last_updated"] == timezone.localdate()


def test_public_charts_are_inline_svg_without_scripts(client, disclosed):
    client.cookies["django_language"] = "en"
    content = client.get("/fund/").content.decode()
    assert content.count("<svg") >= 3
    scripts = re.findall(r"<script[^>]*>", content)
    assert all("/static/" in tag for tag in scripts), scripts
    assert "kozea" not in content and "pygal.js" not in content


def test_long_running_project_shows_its_quarters(client, disclosed):
    client.cookies["django_language"] = "en"
    response = client.get("/fund/")
    projects = response.context["projects"]
    assert [project.grant.title for project in projects] == ["睦邻点项目"]
    assert projects[0].quarters and all(report is None for _end, report in projects[0].quarters)
    assert "progress report not yet received" in response.content.decode()


@pytest.fixture
def disclosure_day():
    return datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    "disclosure_day",
    # 5 January: "ten days ago" is last year; the year filter must still hold.
    [datetime.date(2027, 1, 5), datetime.date(2026, 6, 15), datetime.date(2026, 12, 31)],
)
def test_gift_list_filters_by_year(client, disclosed):
    last_year = timezone.localdate().year - 1
    client.cookies["django_language"] = "en"
    response = client.get(f"/fund/gifts/?year={last_year}")
    assert response.status_code == 200
    assert {gift.received_on.year for gift in response.context["gifts"]} == {last_year}
    assert sum(gift.amount for gift in response.context["gifts"]) == Decimal("4235.07")


def test_empty_fund_page_renders(client, fund):
    response = client.get("/fund/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_public_page_queries_do_not_grow_with_data(
    client, fund, manager, manager2, organisation, django_assert_max_num_queries, count
):
    org_admin = OrgAdminFactory(organisation=organisation).user
    donor = Donor.objects.create(kind=Donor.Kind.INDIVIDUAL, name="李四")
    for _index in range(count):
        give(fund, manager, amount="10.00", donor=donor)
    for _index in range(min(count, 10)):
        grant = grant_under_review(fund, org_admin, organisation, manager, amount="1.00")
        services.grant_approve(grant=grant, acting_user=manager)
        services.grant_approve(grant=grant, acting_user=manager2)
    with django_assert_max_num_queries(20):
        assert client.get("/fund/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/fund/gifts/").status_code == 200


def test_home_page_shows_the_fund_totals(client, fund, manager):
    give(fund, manager, amount="36000.00")
    client.cookies["django_language"] = "en"
    content = client.get("/").content.decode()
    assert format_yuan(Decimal("36000.00")) in content


def test_charity_sale_share_reads_as_a_plain_percentage(client, disclosed):
    last_year = timezone.localdate().year - 1
    client.cookies["django_language"] = "en"
    content = client.get(f"/fund/gifts/?year={last_year}").content.decode()
    assert "10% of ¥12,345.65" in content
    assert "E+" not in content


def test_granted_counts_grants_only_and_shows_other_expenses_apart(client, disclosed, manager):
    """Issue 11: "累计资助" and the home page's "granted" counted bank fees as grants."""
    fund = disclosed
    accounts = {account.role: account for account in fund.accounts.all()}
    services.journal_entry_post(
        fund=fund,
        entry_on=past_day(1),
        description="银行手续费",
        lines=[
            (accounts["fee_expense"], "debit", Decimal("12.50")),
            (accounts["cash"], "credit", Decimal("12.50")),
        ],
        acting_user=manager,
    )
    grants_only = _ledger_sum(
        fund, "expense", account__role__in=["talent_grant_expense", "project_grant_expense"]
    )
    assert grants_only == Decimal("2200.00")

    response = client.get("/fund/")
    summary = response.context["summary"]
    assert summary.granted == grants_only
    assert summary.other_expense == Decimal("12.50")
    assert summary.expense == grants_only + Decimal("12.50")
    content = response.content.decode()
    granted = re.search(r'id="total-granted">([^<]*)<', content).group(1)
    assert granted == format_yuan(grants_only)
    other = re.search(r'id="total-other-expense">([^<]*)<', content).group(1)
    assert format_yuan(Decimal("12.50")) in other

    home = client.get("/").content.decode()
    assert re.search(r'id="home-granted">([^<]*)<', home).group(1) == format_yuan(grants_only)


def test_a_chart_is_drawn_once_for_its_figures_and_again_when_they_change(monkeypatch):
    from collections import namedtuple

    from django.core.cache import cache
    from django.utils import translation

    from funds import charts

    cache.clear()
    drawn = []
    render = charts._render
    monkeypatch.setattr(charts, "_render", lambda chart: drawn.append(1) or render(chart))
    Year = namedtuple("Year", "year income expense balance")
    rows = [Year(2025, Decimal("100.00"), Decimal("40.00"), Decimal("60.00"))]
    with translation.override("zh-hans"):
        first = charts.chart_years(rows)
        assert charts.chart_years(rows) == first and len(drawn) == 1
        changed = charts.chart_years(
            [Year(2025, Decimal("100.00"), Decimal("50.00"), Decimal("50.00"))]
        )
        assert len(drawn) == 2 and changed != first
    with translation.override("en"):
        english = charts.chart_years(rows)
    assert len(drawn) == 3 and "Money in and out by year" in english
