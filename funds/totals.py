"""Ledger totals: stored for closed years, summed live over the open ones only.

A closed year never changes (the triggers of migrations 0002 and 0008 refuse it), so
``period_close`` stores each account's debit and credit totals for it
(``ClosedYearTotal``) in the closing transaction. Every report adds those rows to one
grouped sum over the postings dated in the years that are still open: a date range on
``funds_posting_account_date`` (account, date), with the fund's accounts given as
literal ids, so PostgreSQL reads the open years from the index and never joins the
entry or account tables. The nightly integrity check compares the stored rows with a
recomputation (``closed_year_totals_mismatched``).

Reads and the services use the same functions; money stays ``Decimal``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear

from .models import Account, ClosedPeriod, ClosedYearTotal, Fund, NumberSeries, Posting

ZERO = Decimal("0.00")

# (debit, credit) per account id
Totals = dict[int, tuple[Decimal, Decimal]]


def _debit():
    return Coalesce(Sum("amount", filter=Q(side=Posting.Side.DEBIT)), ZERO)


def _credit():
    return Coalesce(Sum("amount", filter=Q(side=Posting.Side.CREDIT)), ZERO)


def closed_years(fund: Fund) -> list[int]:
    """The fund's closed years, oldest first (a handful of rows)."""
    return list(
        ClosedPeriod.objects.filter(fund=fund).order_by("year").values_list("year", flat=True)
    )


def open_dates(closed: Iterable[int]) -> Q:
    """Postings dated in a year that is not in ``closed``, as ranges on ``entry_on``."""
    closed = sorted(set(closed))
    if not closed:
        return Q()
    ranges = Q(entry_on__lt=datetime.date(closed[0], 1, 1)) | Q(
        entry_on__gte=datetime.date(closed[-1] + 1, 1, 1)
    )
    for low, high in zip(closed, closed[1:], strict=False):
        if high > low + 1:
            ranges |= Q(
                entry_on__gte=datetime.date(low + 1, 1, 1), entry_on__lt=datetime.date(high, 1, 1)
            )
    return ranges


def _postings(accounts: Iterable[Account]):
    # Literal ids: no join to the account table, and the (account, date) index applies.
    return Posting.objects.filter(account_id__in=[account.pk for account in accounts]).order_by()


def _add(into: Totals, account_id: int, debit: Decimal, credit: Decimal) -> None:
    old_debit, old_credit = into.get(account_id, (ZERO, ZERO))
    into[account_id] = (old_debit + debit, old_credit + credit)


def account_totals(
    *,
    fund: Fund,
    accounts: list[Account],
    as_of: datetime.date | None = None,
    year: int | None = None,
    closed: list[int] | None = None,
) -> Totals:
    """(debit, credit) per account: all time, up to ``as_of``, or within ``year``.

    Three queries (two with ``closed`` given) whatever the years and whether they are
    closed: the closed years, their stored rows, one sum over the open years' postings.
    """
    if closed is None:
        closed = closed_years(fund)
    stored = ClosedYearTotal.objects.filter(fund=fund)
    live = _postings(accounts)
    if year is not None:
        stored = stored.filter(year=year)
        live = live.filter(
            open_dates(closed),
            entry_on__gte=datetime.date(year, 1, 1),
            entry_on__lte=datetime.date(year, 12, 31),
        )
    elif as_of is not None:
        # A closed year counts as stored once it has ended by ``as_of``; else day by day.
        last_stored = as_of.year if as_of == datetime.date(as_of.year, 12, 31) else as_of.year - 1
        stored = stored.filter(year__lte=last_stored)
        live = live.filter(
            open_dates(year for year in closed if year <= last_stored), entry_on__lte=as_of
        )
    else:
        live = live.filter(open_dates(closed))
    result: Totals = {}
    for row in stored.filter(account_id__in=[account.pk for account in accounts]).values_list(
        "account_id", "debit", "credit"
    ):
        _add(result, *row)
    for row in live.values("account").annotate(debit=_debit(), credit=_credit()):
        _add(result, row["account"], row["debit"], row["credit"])
    return result


def _years(fund: Fund) -> tuple[list[int], list[int]]:
    """(closed years, open years with entries), oldest first, in one query: the closed
    periods and the entry number series (a year's entries are numbered in their own year)."""
    closed = ClosedPeriod.objects.filter(fund=fund).annotate(closed=Value(True))
    numbered = NumberSeries.objects.filter(
        fund=fund, series=NumberSeries.Series.ENTRY, last_number__gt=0
    ).annotate(closed=Value(False))
    rows = (
        closed.values_list("year", "closed")
        .order_by()
        .union(numbered.values_list("year", "closed").order_by(), all=True)
    )
    closed_set = set()
    numbered_set = set()
    for year, is_closed in rows:
        (closed_set if is_closed else numbered_set).add(year)
    return sorted(closed_set), sorted(numbered_set - closed_set)


def year_account_totals(*, fund: Fund, accounts: list[Account]) -> dict[int, Totals]:
    """``{year: {account id: (debit, credit)}}`` for every year with postings (three queries).

    Each open year is summed by account over its own date range (``entry_on`` from 1
    January to the next), so PostgreSQL reads it from the (account, date) index and
    groups a handful of accounts; grouping by ``EXTRACT(year …)`` instead made it
    expect thousands of groups and sort every posting. Postings dated outside the
    numbered open years (none, when the number series is right) still count: one
    more branch groups them by year.
    """
    closed, open_years = _years(fund)
    years: dict[int, Totals] = defaultdict(dict)
    for year, account_id, debit, credit in ClosedYearTotal.objects.filter(fund=fund).values_list(
        "year", "account_id", "debit", "credit"
    ):
        _add(years[year], account_id, debit, credit)
    rest = (
        _postings(accounts)
        .filter(open_dates([*closed, *open_years]))
        .annotate(year=Cast(ExtractYear("entry_on"), IntegerField()))
    )
    live = _grouped(rest).union(
        *(
            _grouped(
                _postings(accounts)
                .filter(
                    entry_on__gte=datetime.date(year, 1, 1),
                    entry_on__lt=datetime.date(year + 1, 1, 1),
                )
                .annotate(year=Value(year, IntegerField()))
            )
            for year in open_years
        ),
        all=True,
    )
    for year, account_id, debit, credit in live:
        _add(years[year], account_id, debit, credit)
    return dict(years)


def _grouped(postings) -> QuerySet:
    """``(year, account, debit, credit)`` rows of ``postings`` annotated with ``year``."""
    return (
        postings.values("year", "account")
        .annotate(debit=_debit(), credit=_credit())
        .values_list("year", "account", "debit", "credit")
    )


@dataclass
class YearByMonth:
    opening: Totals  # everything dated before the year
    months: dict[int, Totals]  # the year's postings, month by month (1–12)
    stored: Totals | None  # the year's stored totals when it is closed

    def in_year(self) -> Totals:
        """The year's totals: stored when it is closed, else added up from its months."""
        if self.stored is not None:
            return self.stored
        result: Totals = {}
        for month in range(1, 13):
            for account_id, (debit, credit) in self.months.get(month, {}).items():
                _add(result, account_id, debit, credit)
        return result


def year_by_month(*, fund: Fund, accounts: list[Account], year: int) -> YearByMonth:
    """The opening totals of ``year`` and its postings month by month (three queries: the
    closed years, the stored totals, one sum grouped by account and month, in which the
    open years before ``year`` are month 0)."""
    closed = closed_years(fund)
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    opening: Totals = {}
    stored: Totals | None = {} if year in closed else None
    for stored_year, account_id, debit, credit in ClosedYearTotal.objects.filter(
        fund=fund, year__lte=year, account_id__in=[account.pk for account in accounts]
    ).values_list("year", "account_id", "debit", "credit"):
        _add(opening if stored_year < year else stored, account_id, debit, credit)
    rows = (
        _postings(accounts)
        .filter(
            (open_dates(closed) & Q(entry_on__lt=first))
            | Q(entry_on__gte=first, entry_on__lt=after)
        )
        .annotate(
            month=Case(When(entry_on__lt=first, then=Value(0)), default=ExtractMonth("entry_on"))
        )
        .values("account", "month")
        .annotate(debit=_debit(), credit=_credit())
        .values_list("month", "account", "debit", "credit")
    )
    months: dict[int, Totals] = defaultdict(dict)
    for month, account_id, debit, credit in rows:
        _add(opening if month == 0 else months[month], account_id, debit, credit)
    return YearByMonth(opening=opening, months=dict(months), stored=stored)


def year_totals_compute(*, fund: Fund, year: int) -> Totals:
    """Recompute ``year``'s per-account totals from its postings (to store or to check)."""
    accounts = list(Account.objects.filter(fund=fund))
    result: Totals = {}
    rows = (
        _postings(accounts)
        .filter(entry_on__gte=datetime.date(year, 1, 1), entry_on__lte=datetime.date(year, 12, 31))
        .values("account")
        .annotate(debit=_debit(), credit=_credit())
    )
    for row in rows:
        _add(result, row["account"], row["debit"], row["credit"])
    return result


def year_totals_store(*, fund: Fund, year: int) -> list[ClosedYearTotal]:
    """Store ``year``'s totals; call it in the transaction that closes the year."""
    return ClosedYearTotal.objects.bulk_create(
        ClosedYearTotal(fund=fund, year=year, account_id=account_id, debit=debit, credit=credit)
        for account_id, (debit, credit) in sorted(year_totals_compute(fund=fund, year=year).items())
    )


def closed_year_totals_mismatched(fund: Fund) -> list[int]:
    """Closed years whose stored totals differ from the postings' (one query per closed year)."""
    stored: dict[int, Totals] = defaultdict(dict)
    for year, account_id, debit, credit in ClosedYearTotal.objects.filter(fund=fund).values_list(
        "year", "account_id", "debit", "credit"
    ):
        _add(stored[year], account_id, debit, credit)
    broken = []
    for year in closed_years(fund):
        computed = year_totals_compute(fund=fund, year=year)
        if computed != stored.get(year, {}):
            broken.append(year)
    broken.extend(sorted(set(stored) - set(closed_years(fund))))
    return sorted(set(broken))
