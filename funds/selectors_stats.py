"""Fund figures for one year (staff dashboard, annual report): grouped queries on postings.

Balances come from postings, as everywhere in the fund; money stays ``Decimal``.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from . import totals
from .models import Account, Fund, Grant, Posting
from .selectors import ZERO, AccountBalance, account_balances, income_by_channel

__all__ = [
    "account_balances",
    "balance_by_month",
    "grants_by_purpose_for_year",
    "income_by_channel",
    "year_totals",
]


def _debit():
    return Coalesce(Sum("amount", filter=Q(side=Posting.Side.DEBIT)), ZERO)


def _credit():
    return Coalesce(Sum("amount", filter=Q(side=Posting.Side.CREDIT)), ZERO)


def balance_by_month(*, fund: Fund, year: int) -> list[tuple[int, Decimal]]:
    """(month, net assets at the end of that month) for the twelve months of ``year``.

    The opening balance from the stored totals of the closed years before it plus the
    open ones (``funds.totals``), then one grouped query over the year's postings by
    month; net assets move by assets and liabilities together (debit − credit of
    both), as in the yearly totals.
    """
    accounts = list(
        Account.objects.filter(
            fund=fund, kind__in=(Account.Kind.ASSET, Account.Kind.LIABILITY)
        ).order_by("pk")
    )
    opening = totals.account_totals(
        fund=fund, accounts=accounts, as_of=datetime.date(year - 1, 12, 31)
    )
    rows = (
        Posting.objects.filter(
            account_id__in=[account.pk for account in accounts],
            entry_on__gte=datetime.date(year, 1, 1),
            entry_on__lte=datetime.date(year, 12, 31),
        )
        .order_by()
        .annotate(month=ExtractMonth("entry_on"))
        .values("month")
        .annotate(debit=_debit(), credit=_credit())
    )
    moves = {row["month"]: row["debit"] - row["credit"] for row in rows}
    balance = sum((debit - credit for debit, credit in opening.values()), ZERO)
    result = []
    for month in range(1, 13):
        balance += moves.get(month, ZERO)
        result.append((month, balance))
    return result


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
