"""Fund figures for one year (staff dashboard, annual report): grouped queries on postings.

Balances come from postings, as everywhere in the fund; money stays ``Decimal``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from . import totals
from .models import Account, Fund, Grant
from .selectors import ZERO, AccountBalance, account_balances, income_by_channel

__all__ = [
    "account_balances",
    "balance_by_month",
    "fund_year",
    "grants_by_purpose_for_year",
    "income_by_channel",
    "year_totals",
]


@dataclass
class FundYear:
    """One year of the fund as the staff dashboard shows it."""

    balances: list[AccountBalance]  # every account's totals posted in the year
    months: list[tuple[int, Decimal]]  # (month, net assets at the end of that month)


def fund_year(*, fund: Fund, year: int) -> FundYear:
    """The year's account totals and month-end net assets from one pass over its postings
    (four queries: the accounts, then ``totals.year_by_month``).

    The account totals are those of ``account_balances(year=…)``: stored for a closed
    year, summed for an open one. Net assets open with the stored totals of the closed
    years before ``year`` plus the postings of the open ones, then move month by month
    by assets and liabilities together (debit − credit of both), as in the yearly totals.
    """
    accounts = list(Account.objects.filter(fund=fund).order_by("code"))
    figures = totals.year_by_month(fund=fund, accounts=accounts, year=year)
    in_year = figures.in_year()
    net_assets = {
        account.pk
        for account in accounts
        if account.kind in (Account.Kind.ASSET, Account.Kind.LIABILITY)
    }

    def moved(part: totals.Totals) -> Decimal:
        return sum(
            (debit - credit for pk, (debit, credit) in part.items() if pk in net_assets), ZERO
        )

    balance, months = moved(figures.opening), []
    for month in range(1, 13):
        balance += moved(figures.months.get(month, {}))
        months.append((month, balance))
    return FundYear(
        balances=[
            AccountBalance(account=account, debit=debit, credit=credit)
            for account in accounts
            for debit, credit in [in_year.get(account.pk, (ZERO, ZERO))]
        ],
        months=months,
    )


def balance_by_month(*, fund: Fund, year: int) -> list[tuple[int, Decimal]]:
    """(month, net assets at the end of that month) for the twelve months of ``year``."""
    return fund_year(fund=fund, year=year).months


def year_totals(
    *, fund: Fund, year: int, balances: list[AccountBalance] | None = None
) -> tuple[Decimal, Decimal]:
    """(income, expense) posted in ``year``: the ledger's own figures, to the fen

    (stored totals for a closed year, a date-range sum for an open one).
    ``balances``: the ``account_balances`` of that year when the caller has them.
    """
    if balances is None:
        balances = account_balances(fund=fund, year=year)
    income = expense = ZERO
    for row in balances:
        if row.account.kind == Account.Kind.INCOME:
            income += row.balance
        elif row.account.kind == Account.Kind.EXPENSE:
            expense += row.balance
    return income, expense


def grants_by_purpose_for_year(*, fund: Fund, year: int) -> list[tuple[str, str, int, Decimal]]:
    """(purpose, label, grants, amount) committed in ``year`` and still standing."""
    labels = dict(Grant.Purpose.choices)
    rows = (
        Grant.objects.filter(
            fund=fund,
            commitment_entry__entry_on__gte=datetime.date(year, 1, 1),
            commitment_entry__entry_on__lte=datetime.date(year, 12, 31),
        )
        .committed()
        .values("purpose")
        .annotate(count=Count("pk"), total=Coalesce(Sum("amount_approved"), ZERO))
        .order_by("-total", "purpose")
    )
    return [
        (
            row["purpose"],
            str(labels.get(row["purpose"], row["purpose"])),
            row["count"],
            row["total"],
        )
        for row in rows
    ]
