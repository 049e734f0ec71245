"""Fund reports at any size (issue 17): stored closed-year totals, index-friendly sums.

- Grouped sums over postings join neither the entry nor the fund table and are not
  ordered (``Posting`` had ``ordering = ["entry", "pk"]``).
- "Not reversed" is a NOT EXISTS, never a LEFT JOIN … IS NULL.
- A closed year's totals are stored when it closes; every report gives the same
  figures before and after, and the nightly check finds a tampered stored total.
- The reports run as many queries for ten years as for two.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import InternalError
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from funds import resources, selectors, selectors_stats, services
from funds.models import Account, ClosedYearTotal, Donor, JournalEntry, Posting
from funds.services.bank import StatementRow, _find_donation

from .factories import give

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def today(clock):
    clock.set(TODAY)
    return TODAY


def _accounts(fund):
    return {account.role: account for account in Account.objects.filter(fund=fund)}


def _fee(fund, manager, day, amount):
    accounts = _accounts(fund)
    return services.journal_entry_post(
        fund=fund,
        entry_on=day,
        description="银行手续费",
        lines=[
            (accounts["fee_expense"], "debit", D(amount)),
            (accounts["cash"], "credit", D(amount)),
        ],
        acting_user=manager,
    )


def _opening(fund, manager, day, amount):
    accounts = _accounts(fund)
    return services.journal_entry_post(
        fund=fund,
        entry_on=day,
        description="期初余额",
        lines=[
            (accounts["cash"], "debit", D(amount)),
            (accounts["opening_balance"], "credit", D(amount)),
        ],
        acting_user=manager,
    )


@pytest.fixture
def two_years(today, fund, manager):
    """2025: opening 500, a gift of 1,000, a fee of 12.50. 2026: a gift of 200, a fee of 3."""
    _opening(fund, manager, datetime.date(2025, 1, 2), "500.00")
    give(fund, manager, amount="1000.00", received_on=datetime.date(2025, 3, 1))
    _fee(fund, manager, datetime.date(2025, 5, 1), "12.50")
    give(fund, manager, amount="200.00", received_on=datetime.date(2026, 2, 1))
    _fee(fund, manager, datetime.date(2026, 3, 1), "3.00")
    return fund


def _income_expense_rows(fund):
    sheet = load_workbook(io.BytesIO(resources.income_expense_xlsx(fund=fund))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def _figures(fund):
    """Every report's figures, as plain values."""
    balances = {
        row.account.role or row.account.code: (row.debit, row.credit)
        for row in selectors.account_balances(fund=fund)
        if row.debit or row.credit
    }
    trial = selectors.trial_balance(fund=fund)
    trial_2025 = selectors.trial_balance(fund=fund, as_of=datetime.date(2025, 12, 31))
    trial_april = selectors.trial_balance(fund=fund, as_of=datetime.date(2025, 4, 1))
    return {
        "balances": balances,
        "trial": (trial.debit, trial.credit),
        "trial_2025": (trial_2025.debit, trial_2025.credit),
        "trial_april_2025": (trial_april.debit, trial_april.credit),
        "summary": selectors.fund_summary(fund=fund),
        "years": [
            (row.year, row.income, row.expense, row.balance)
            for row in selectors.fund_totals_by_year(fund=fund)
        ],
        "channels_2025": [
            (account.role, amount)
            for account, amount in selectors.income_by_channel(fund=fund, year=2025)
        ],
        "channels": [
            (account.role, amount) for account, amount in selectors.income_by_channel(fund=fund)
        ],
        "stats_2025": selectors_stats.year_totals(fund=fund, year=2025),
        "stats_2026": selectors_stats.year_totals(fund=fund, year=2026),
        "months_2026": selectors_stats.balance_by_month(fund=fund, year=2026)[:3],
        "export": _income_expense_rows(fund),
        "available": selectors.fund_available(fund=fund),
        # What /fund/ shows: all-time balances added up from the years.
        "balances_from_years": {
            row.account.role: (row.debit, row.credit)
            for row in selectors.account_balances_from_years(
                selectors.fund_accounts_by_year(fund=fund)
            )
        },
    }


HAND_COMPUTED = {
    "balances": {
        "cash": (D("1700.00"), D("15.50")),
        "opening_balance": (D("0.00"), D("500.00")),
        "donation_income": (D("0.00"), D("1200.00")),
        "fee_expense": (D("15.50"), D("0.00")),
    },
    "trial": (D("1715.50"), D("1715.50")),
    "trial_2025": (D("1512.50"), D("1512.50")),
    "trial_april_2025": (D("1500.00"), D("1500.00")),
    "years": [
        (2025, D("1000.00"), D("12.50"), D("1487.50")),
        (2026, D("200.00"), D("3.00"), D("1684.50")),
    ],
    "channels_2025": [("donation_income", D("1000.00"))],
    "channels": [("donation_income", D("1200.00"))],
    "stats_2025": (D("1000.00"), D("12.50")),
    "stats_2026": (D("200.00"), D("3.00")),
    "months_2026": [(1, D("1487.50")), (2, D("1687.50")), (3, D("1684.50"))],
    "available": D("1684.50"),
}
HAND_COMPUTED["balances_from_years"] = HAND_COMPUTED["balances"]


def test_reports_give_the_same_hand_computed_figures_before_and_after_closing(two_years, manager):
    fund = two_years
    before = _figures(fund)
    for key, expected in HAND_COMPUTED.items():
        assert before[key] == expected, key
    summary = before["summary"]
    assert (summary.income, summary.expense, summary.granted, summary.other_expense) == (
        D("1200.00"),
        D("15.50"),
        D("0.00"),
        D("15.50"),
    )
    assert (summary.net_assets, summary.cash, summary.available) == (D("1684.50"),) * 3
    # Per year: the income and expense accounts, then income, expense, balance at year end.
    assert [(row[0], row[1] or "", D(str(row[4]))) for row in before["export"]] == [
        (2025, "4101", D("1000.00")),
        (2025, "5201", D("12.50")),
        (2025, "", D("1000.00")),
        (2025, "", D("12.50")),
        (2025, "", D("1487.50")),
        (2026, "4101", D("200.00")),
        (2026, "5201", D("3.00")),
        (2026, "", D("200.00")),
        (2026, "", D("3.00")),
        (2026, "", D("1684.50")),
    ]

    services.period_close(fund=fund, year=2025, acting_user=manager)

    assert _figures(fund) == before


def test_closing_stores_the_year_totals_per_account(two_years, manager):
    fund = two_years
    services.period_close(fund=fund, year=2025, acting_user=manager)
    stored = {
        (row.year, row.account.role): (row.debit, row.credit)
        for row in ClosedYearTotal.objects.select_related("account")
    }
    assert stored == {
        (2025, "cash"): (D("1500.00"), D("12.50")),
        (2025, "opening_balance"): (D("0.00"), D("500.00")),
        (2025, "donation_income"): (D("0.00"), D("1000.00")),
        (2025, "fee_expense"): (D("12.50"), D("0.00")),
    }


def test_reports_read_the_stored_totals_not_the_closed_postings(two_years, manager):
    fund = two_years
    services.period_close(fund=fund, year=2025, acting_user=manager)
    with CaptureQueriesContext(connection) as context:
        selectors.account_balances(fund=fund)
        selectors.fund_totals_by_year(fund=fund)
    sums = [query["sql"] for query in context.captured_queries if "funds_posting" in query["sql"]]
    assert sums
    for sql in sums:
        # Only dates outside the closed year: before 2025 or from 2026 on.
        assert "2026-01-01" in sql
        assert "2025-01-01" in sql


def test_grouped_sums_join_no_entry_table_and_are_not_ordered(two_years):
    fund = two_years
    with CaptureQueriesContext(connection) as context:
        selectors.account_balances(fund=fund)
        selectors.account_balances(fund=fund, year=2025)
        selectors.fund_totals_by_year(fund=fund)
        selectors_stats.balance_by_month(fund=fund, year=2026)
        Posting.objects.filter(account__fund=fund).totals()
    sums = [query["sql"] for query in context.captured_queries if "SUM(" in query["sql"].upper()]
    # balance_by_month: one sum, the open years before it as month 0, then month by month
    assert len(sums) == 5
    for sql in sums:
        assert "funds_journalentry" not in sql
        assert "funds_fund" not in sql
        assert "ORDER BY" not in sql.upper()


def test_open_years_are_summed_by_date_range_not_grouped_by_extracted_year(two_years, manager):
    fund = two_years
    services.period_close(fund=fund, year=2025, acting_user=manager)
    with CaptureQueriesContext(connection) as context:
        by_year = selectors.fund_totals_by_year(fund=fund)
    (sql,) = [query["sql"] for query in context.captured_queries if "funds_posting" in query["sql"]]
    # 2026, numbered and open: its own range, grouped by account only.
    branch = next(part for part in sql.split("UNION ALL") if "'2026-01-01'" in part)
    assert "'2027-01-01'" in branch
    assert "EXTRACT" not in branch.upper()
    assert [(row.year, row.income, row.expense, row.balance) for row in by_year] == HAND_COMPUTED[
        "years"
    ]


def test_postings_outside_the_numbered_years_still_count(two_years):
    from funds.models import NumberSeries

    fund = two_years
    expected = _figures(fund)
    # As if the number series had missed 2026: its postings are then found by the one
    # branch that groups the remaining open dates by year.
    NumberSeries.objects.filter(fund=fund, year=2026).update(last_number=0)
    assert selectors.entry_years(fund=fund) == [2025]
    assert _figures(fund)["years"] == expected["years"]
    assert _figures(fund)["balances_from_years"] == expected["balances_from_years"]


def test_gift_list_joins_only_the_donations_and_prefetches_the_rarer_gifts(two_years):
    fund = two_years
    sql = str(selectors.gift_entries_public(fund=fund).query)
    # Nine joined tables took PostgreSQL up to 80 ms to plan at scale 1, for 1 ms of work.
    assert sql.upper().count(" JOIN ") == 2  # the donation and its donor
    for table in ("funds_charitysale", "funds_pledge", "funds_charityperformance"):
        assert table not in sql


def test_unreversed_entries_are_a_not_exists(two_years, manager):
    fund = two_years
    sql = str(selectors.gift_entries_public(fund=fund).query)
    assert "NOT EXISTS" in sql.upper()
    assert "IS NULL" not in sql.upper()

    donor = Donor.objects.create(kind=Donor.Kind.INDIVIDUAL, name="赵六")
    donation = give(fund, manager, amount="77.00", donor=donor, received_on=TODAY)
    row = StatementRow(
        row_number=1, booked_on=TODAY, reference="B1", amount=D("77.00"), payer="赵六"
    )
    with CaptureQueriesContext(connection) as context:
        assert _find_donation(fund, row, set()) == donation
    (sql,) = [query["sql"] for query in context.captured_queries]
    assert sql.upper().count("NOT EXISTS") == 2  # not linked to a bank line, not reversed
    assert "IS NULL" not in sql.upper()
    assert "LEFT OUTER JOIN" not in sql.upper()


def test_a_reversed_gift_stays_off_the_public_list(two_years, manager):
    fund = two_years
    entry = give(fund, manager, amount="9.00", received_on=TODAY).entry
    services.journal_entry_reverse(entry=entry, reason="录入错误", acting_user=manager)
    numbers = set(selectors.gift_entries_public(fund=fund).values_list("number", flat=True))
    assert entry.number not in numbers
    assert len(numbers) == 2


def _tamper_total(year):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE funds_closedyeartotal SET credit = credit + 1 WHERE year = %s", [year]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_integrity_check_finds_a_tampered_stored_total(two_years, manager, mailoutbox):
    from notifications.models import Message

    fund = two_years
    services.period_close(fund=fund, year=2025, acting_user=manager)
    assert all(report.ok for report in services.ledger_integrity_check())

    _tamper_total(2025)
    (report,) = services.ledger_integrity_check()
    assert not report.ok
    assert report.broken_total_years == [2025]
    assert report.broken_seal_years == []  # the ledger itself is untouched
    message = Message.objects.get(kind="fund_integrity_alert")
    assert message.context["broken_total_years"] == [2025]


def test_integrity_check_finds_a_missing_stored_total(two_years, manager):
    fund = two_years
    services.period_close(fund=fund, year=2025, acting_user=manager)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM funds_closedyeartotal")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    (report,) = services.ledger_integrity_check()
    assert report.broken_total_years == [2025]


@pytest.mark.django_db(transaction=True)
def test_database_refuses_changing_stored_totals(postgres_only, fund, manager, clock):
    clock.set(TODAY)
    _opening(fund, manager, datetime.date(2025, 1, 2), "500.00")
    services.period_close(fund=fund, year=2025, acting_user=manager)
    for sql in (
        "UPDATE funds_closedyeartotal SET debit = 0",
        "DELETE FROM funds_closedyeartotal",
        "TRUNCATE funds_closedyeartotal",
    ):
        with (
            pytest.raises((IntegrityError, InternalError), match="funds_append_only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert ClosedYearTotal.objects.count() == 2


# --- As many queries for ten years as for two ------------------------------------------


def _report_queries(client, fund) -> dict[str, int]:
    calls = {
        "account_balances": lambda: selectors.account_balances(fund=fund),
        "account_balances_year": lambda: selectors.account_balances(fund=fund, year=2024),
        "trial_balance_as_of": lambda: selectors.trial_balance(
            fund=fund, as_of=datetime.date(2024, 5, 1)
        ),
        "fund_summary": lambda: selectors.fund_summary(fund=fund),
        "fund_totals_by_year": lambda: selectors.fund_totals_by_year(fund=fund),
        "income_by_channel": lambda: selectors.income_by_channel(fund=fund, year=2020),
        "income_expense_xlsx": lambda: resources.income_expense_xlsx(fund=fund),
        "year_totals": lambda: selectors_stats.year_totals(fund=fund, year=2020),
        "balance_by_month": lambda: selectors_stats.balance_by_month(fund=fund, year=2024),
        "entry_years": lambda: selectors.entry_years(fund=fund),
    }
    for url in (
        "/fund/",
        "/fund/gifts/",
        "/fund/manage/SBF/",
        "/fund/manage/SBF/trial-balance/",
        "/fund/manage/SBF/exports/income-expense.xlsx",
        "/fund/manage/SBF/exports/trial-balance.xlsx",
        "/fund/manage/SBF/ledger/",
    ):
        calls[url] = lambda url=url: client.get(url)
    counts = {}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as context:
            result = call()
        if name.startswith("/"):
            assert result.status_code == 200, name
        counts[name] = len(context)
    return counts


def _year_of_gifts(fund, manager, year):
    give(fund, manager, amount="100.00", received_on=datetime.date(year, 3, 1))
    _fee(fund, manager, datetime.date(year, 4, 1), "1.00")


def test_reports_run_as_many_queries_for_ten_years_as_for_two(client, today, fund, manager):
    client.force_login(manager)
    for year in (2025, 2026):
        _year_of_gifts(fund, manager, year)
    two = _report_queries(client, fund)

    for year in range(2017, 2025):
        _year_of_gifts(fund, manager, year)
    for year in range(2017, 2024):  # 2024 and 2025 stay open, 2024 between closed years
        services.period_close(fund=fund, year=year, acting_user=manager)
    assert JournalEntry.objects.dates("entry_on", "year").count() == 10
    ten = _report_queries(client, fund)

    assert ten == two
    assert two["income_expense_xlsx"] <= 4
    assert two["fund_totals_by_year"] <= 4
