"""Fund figures for one year (staff dashboard, annual report): grouped queries on postings.

Balances come from postings, as everywhere in the fund; money stays ``Decimal``.
"""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth

from .models import Account, Fund, Grant, Posting
from .selectors import ZERO, income_by_channel

__all__ = ["balance_by_month", "grants_by_purpose_for_year", "income_by_channel", "year_totals"]


def _debit():
    return Coalesce(Sum("amount", filter=Q(side=Posting.Side.DEBIT)), ZERO)


def _credit():
    return Coalesce(Sum("amount", filter=Q(side=Posting.Side.CREDIT)), ZERO)


def balance_by_month(*, fund: Fund, year: int) -> list[tuple[int, Decimal]]:
    """(month, net assets at the end of that month) for the twelve months of ``year``.

    One grouped query: everything before the year is one bucket (the opening
    balance), then one bucket per month; net assets move by assets and
    liabilities together (debit − credit of both), as in the yearly totals.
    """
    first = datetime.date(year, 1, 1)
    rows = (
        Posting.objects.filter(
            account__fund=fund,
            account__kind__in=(Account.Kind.ASSET, Account.Kind.LIABILITY),
            entry_on__lte=datetime.date(year, 12, 31),
        )
        .annotate(
            bucket=Case(
                When(entry_on__lt=first, then=Value(0)),
                default=ExtractMonth("entry_on"),
                output_field=IntegerField(),
            )
        )
        .values("bucket")
        .annotate(debit=_debit(), credit=_credit())
        .order_by("bucket")
    )
    moves = {row["bucket"]: row["debit"] - row["credit"] for row in rows}
    balance = moves.get(0, ZERO)
    result = []
    for month in range(1, 13):
        balance += moves.get(month, ZERO)
        result.append((month, balance))
    return result


def year_totals(*, fund: Fund, year: int) -> tuple[Decimal, Decimal]:
    """(income, expense) posted in ``year``: the ledger's own figures, to the fen."""
    totals = Posting.objects.filter(
        account__fund=fund,
        entry_on__gte=datetime.date(year, 1, 1),
        entry_on__lte=datetime.date(year, 12, 31),
    ).aggregate(
        income=Coalesce(
            Sum("amount", filter=Q(account__kind=Account.Kind.INCOME, side=Posting.Side.CREDIT)),
            ZERO,
        )
        - Coalesce(
            Sum("amount", filter=Q(account__kind=Account.Kind.INCOME, side=Posting.Side.DEBIT)),
            ZERO,
        ),
        expense=Coalesce(
            Sum("amount", filter=Q(account__kind=Account.Kind.EXPENSE, side=Posting.Side.DEBIT)),
            ZERO,
        )
        - Coalesce(
            Sum("amount", filter=Q(account__kind=Account.Kind.EXPENSE, side=Posting.Side.CREDIT)),
            ZERO,
        ),
    )
    return totals["income"], totals["expense"]


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
