"""Reads for the fund pages: balances and reports from postings with database aggregates."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from federation.models import Organisation, User

from . import totals as fund_totals
from .masking import anonymous_label
from .models import (
    Account,
    BankImport,
    CharitySale,
    ClosedPeriod,
    Donation,
    Fund,
    Grant,
    GrantProgress,
    JournalEntry,
    NumberSeries,
    Pledge,
    PledgeInstalment,
    Posting,
)
from .roles import FUND_MANAGERS
from .services._common import available_balance

ZERO = Decimal("0.00")


def fund_get_public() -> Fund:
    """The fund shown on /fund/: the first public one (the Spring Bud Fund)."""
    fund = Fund.objects.filter(is_public=True).order_by("position", "pk").first()
    if fund is None:
        raise Http404
    return fund


def fund_get_by_code(code: str) -> Fund:
    try:
        return Fund.objects.get(code=code)
    except Fund.DoesNotExist:
        raise Http404 from None


def fund_available(*, fund: Fund) -> Decimal:
    """Cash not yet promised to approved grants: what a new approval may take."""
    return available_balance(fund)


def fund_list() -> QuerySet[Fund]:
    return Fund.objects.order_by("position", "code")


@dataclass
class AccountBalance:
    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """On the account's normal side: debit − credit for assets and expenses."""
        if self.account.is_debit_normal:
            return self.debit - self.credit
        return self.credit - self.debit


def account_balances(
    *, fund: Fund, as_of: datetime.date | None = None, year: int | None = None
) -> list[AccountBalance]:
    """Every account of the fund with its debit and credit totals: stored totals for the

    closed years plus one grouped sum over the open years (three queries in all).
    """
    accounts = list(Account.objects.filter(fund=fund).order_by("code"))
    totals = fund_totals.account_totals(fund=fund, accounts=accounts, as_of=as_of, year=year)
    return [
        AccountBalance(account=account, debit=debit, credit=credit)
        for account in accounts
        for debit, credit in [totals.get(account.pk, (ZERO, ZERO))]
    ]


@dataclass
class TrialBalance:
    rows: list[AccountBalance]
    debit: Decimal
    credit: Decimal

    @property
    def difference(self) -> Decimal:
        return self.debit - self.credit


def trial_balance(
    *,
    fund: Fund,
    as_of: datetime.date | None = None,
    balances: list[AccountBalance] | None = None,
) -> TrialBalance:
    """``balances``: the all-time ``account_balances`` when the caller already has them."""
    rows = balances if balances is not None else account_balances(fund=fund, as_of=as_of)
    return TrialBalance(
        rows=rows,
        debit=sum((row.debit for row in rows), ZERO),
        credit=sum((row.credit for row in rows), ZERO),
    )


GRANT_EXPENSE_ROLES = (Account.Role.TALENT_GRANT_EXPENSE, Account.Role.PROJECT_GRANT_EXPENSE)


@dataclass
class FundSummary:
    income: Decimal
    expense: Decimal  # every expense: grants and the rest
    granted: Decimal  # grant expense only (talent and project grants, net of cancellations)
    other_expense: Decimal  # bank fees and other expenses that are not grants
    net_assets: Decimal
    cash: Decimal
    grants_payable: Decimal
    available: Decimal


def fund_summary(*, fund: Fund, balances: list[AccountBalance] | None = None) -> FundSummary:
    """All-time totals: raised, granted, other expenses, net assets, cash, unpaid grants,

    available. "Granted" counts the grant expense accounts only, never bank fees.
    ``balances``: the all-time ``account_balances`` when the caller already has them.
    """
    by_kind = defaultdict(lambda: ZERO)
    by_role = defaultdict(lambda: ZERO)
    for row in balances if balances is not None else account_balances(fund=fund):
        by_kind[row.account.kind] += row.balance
        by_role[row.account.role] += row.balance
    granted = sum((by_role[role] for role in GRANT_EXPENSE_ROLES), ZERO)
    return FundSummary(
        income=by_kind[Account.Kind.INCOME],
        expense=by_kind[Account.Kind.EXPENSE],
        granted=granted,
        other_expense=by_kind[Account.Kind.EXPENSE] - granted,
        net_assets=by_kind[Account.Kind.ASSET] - by_kind[Account.Kind.LIABILITY],
        cash=by_role[Account.Role.CASH],
        grants_payable=by_role[Account.Role.GRANTS_PAYABLE],
        # What ``available_balance`` computes (cash less grants payable), from the same sums.
        available=by_role[Account.Role.CASH] - by_role[Account.Role.GRANTS_PAYABLE],
    )


@dataclass
class YearTotals:
    year: int
    income: Decimal
    expense: Decimal
    balance: Decimal  # net assets at the end of the year

    @property
    def net(self) -> Decimal:
        return self.income - self.expense


def _year_totals(year: int, kinds: dict[str, Decimal], balance: Decimal) -> YearTotals:
    return YearTotals(
        year=year,
        income=-kinds[Account.Kind.INCOME],
        expense=kinds[Account.Kind.EXPENSE],
        balance=balance,
    )


def fund_totals_by_year(*, fund: Fund) -> list[YearTotals]:
    """Per year: money in (income), out (grants and fees), and the balance at year end.

    Closed years from their stored totals, open years from one grouped sum.
    """
    return [totals for totals, _rows in fund_accounts_by_year(fund=fund)]


def fund_accounts_by_year(*, fund: Fund) -> list[tuple[YearTotals, list[AccountBalance]]]:
    """Each year's totals with its accounts' balances (three queries for any number of years)."""
    accounts = list(Account.objects.filter(fund=fund).order_by("code"))
    by_year = fund_totals.year_account_totals(fund=fund, accounts=accounts)
    result, balance = [], ZERO
    for year in sorted(by_year):
        kinds: dict[str, Decimal] = defaultdict(lambda: ZERO)
        rows = []
        for account in accounts:
            if account.pk not in by_year[year]:
                continue
            debit, credit = by_year[year][account.pk]
            kinds[account.kind] += debit - credit
            rows.append(AccountBalance(account=account, debit=debit, credit=credit))
        # Net assets move by assets less liabilities (debit − credit of both).
        balance += kinds[Account.Kind.ASSET] + kinds[Account.Kind.LIABILITY]
        result.append((_year_totals(year, kinds, balance), rows))
    return result


def account_balances_from_years(
    by_year: list[tuple[YearTotals, list[AccountBalance]]],
) -> list[AccountBalance]:
    """All-time balances added up from ``fund_accounts_by_year`` (accounts with postings),
    so a page showing both runs the sums once."""
    totals: dict[int, AccountBalance] = {}
    for _totals, rows in by_year:
        for row in rows:
            if row.account.pk in totals:
                total = totals[row.account.pk]
                total.debit += row.debit
                total.credit += row.credit
            else:
                totals[row.account.pk] = AccountBalance(row.account, row.debit, row.credit)
    return sorted(totals.values(), key=lambda row: row.account.code)


def income_by_channel(
    *, fund: Fund, year: int | None = None, balances: list[AccountBalance] | None = None
) -> list[tuple[Account, Decimal]]:
    """Income per income account (donations, charity sales, performances).

    ``balances``: the ``account_balances`` of the same period when the caller has them.
    """
    if balances is None:
        balances = account_balances(fund=fund, year=year)
    return [
        (row.account, row.balance)
        for row in balances
        if row.account.kind == Account.Kind.INCOME and (row.debit or row.credit)
    ]


def grants_by_purpose(*, fund: Fund) -> list[tuple[str, int, Decimal]]:
    """(purpose label, number of grants, amount) for grants whose commitment stands."""
    labels = dict(Grant.Purpose.choices)
    rows = (
        Grant.objects.filter(fund=fund)
        .committed()
        .values("purpose")
        .annotate(count=Count("pk"), total=Coalesce(Sum("amount_approved"), ZERO))
        .order_by("-total")
    )
    return [
        (str(labels.get(row["purpose"], row["purpose"])), row["count"], row["total"])
        for row in rows
    ]


def fund_last_updated(*, fund: Fund) -> datetime.date | None:
    # The newest entry by the (fund, posted_at) index, not a MAX over every entry.
    posted_at = (
        JournalEntry.objects.filter(fund=fund)
        .order_by("-posted_at")
        .values_list("posted_at", flat=True)
        .first()
    )
    return timezone.localdate(posted_at) if posted_at else None


@dataclass
class GiftRow:
    """One line of the public gift list (never a person's full name)."""

    received_on: datetime.date
    giver: str
    kind: str
    description: str
    amount: Decimal


def gift_entries_public(*, fund: Fund, year: int | None = None) -> QuerySet[JournalEntry]:
    """Income entries that stand (not reversed), newest first, with what the list shows."""
    # NOT EXISTS: the LEFT JOIN … IS NULL of ``reversed_by__isnull`` is misestimated.
    entries = JournalEntry.objects.filter(fund=fund, kind__in=JournalEntry.GIFT_KINDS).filter(
        ~Exists(JournalEntry.objects.filter(reverses=OuterRef("pk")))
    )
    if year:
        entries = entries.filter(year=year)
    # Donations (nearly every gift) joined; the rarer kinds prefetched by entry id: joining
    # all nine tables cost PostgreSQL 15-80 ms to plan, for a page that runs in 1 ms.
    return (
        entries.select_related("donation__donor")
        .prefetch_related(
            Prefetch("charity_sale", queryset=CharitySale.objects.select_related("company")),
            "performance",
            Prefetch(
                "pledge_instalment",
                queryset=PledgeInstalment.objects.select_related("pledge__donor"),
            ),
        )
        .order_by("-entry_on", "-pk")
    )


def gift_row(entry: JournalEntry) -> GiftRow:
    """What the public sees of a gift entry (names masked per the donor's choice)."""
    kind = entry.get_kind_display()
    if entry.kind == JournalEntry.Kind.DONATION:
        donation = entry.donation
        giver = donation.donor.public_name if donation.donor else anonymous_label("individual")
        description = donation.goods_description or donation.get_channel_display()
        if donation.restricted_purpose:
            description = _("%(what)s, for: %(purpose)s") % {
                "what": description,
                "purpose": donation.restricted_purpose,
            }
        return GiftRow(entry.entry_on, giver, kind, description, donation.amount)
    if entry.kind == JournalEntry.Kind.CHARITY_SALE:
        sale = entry.charity_sale
        description = _("%(title)s: %(share)s%% of ¥%(turnover)s") % {
            "title": sale.title,
            "share": format(sale.share_percent.normalize(), "f"),  # 20, never 2E+1
            "turnover": f"{sale.turnover:,}",
        }
        return GiftRow(entry.entry_on, sale.company.public_name, kind, description, sale.proceeds)
    if entry.kind == JournalEntry.Kind.PERFORMANCE:
        performance = entry.performance
        return GiftRow(
            entry.entry_on,
            _("audience and friends"),
            kind,
            performance.title,
            performance.net_proceeds,
        )
    instalment = entry.pledge_instalment
    pledge = instalment.pledge
    return GiftRow(
        entry.entry_on,
        pledge.donor.public_name,
        kind,
        pledge.description,
        instalment.received_amount,
    )


def grant_list_public(*, fund: Fund) -> QuerySet[Grant]:
    """Grants whose commitment stands, with their organisation and quarterly progress."""
    return (
        Grant.objects.filter(fund=fund)
        .committed()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("progress_reports", queryset=GrantProgress.objects.order_by("quarter_ends_on"))
        )
        .order_by("-decided_at", "-pk")
    )


@dataclass
class ProjectProgress:
    grant: Grant
    quarters: list[tuple[datetime.date, GrantProgress | None]]


def long_running_projects(*, grants: list[Grant], today: datetime.date) -> list[ProjectProgress]:
    """Projects over six months with each passed quarter and its report (or None: missing)."""
    result = []
    for grant in grants:
        if not grant.is_long_running:
            continue
        reports = {report.quarter_ends_on: report for report in grant.progress_reports.all()}
        quarters = [(end, reports.get(end)) for end in grant.quarter_ends(today)]
        result.append(ProjectProgress(grant=grant, quarters=quarters))
    return result


# --- Staff pages -------------------------------------------------------------


def entry_list(*, fund: Fund, year: int) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(fund=fund, year=year)
        .select_related("posted_by", "reverses", "reversed_by")
        .prefetch_related(
            Prefetch("postings", queryset=Posting.objects.select_related("account").order_by("pk"))
        )
        .order_by("sequence")
    )


def ledger_posting_rows(*, fund: Fund, year: int) -> QuerySet:
    """The year's postings as tuples, entry by entry (for the ledger export): number, date,
    kind, description, source document, account id, side, amount, the number of the entry
    it reverses, who posted it. One query; no model instances."""
    return (
        Posting.objects.filter(entry__fund=fund, entry__year=year)
        .order_by("entry__sequence", "pk")
        .values_list(
            "entry__number",
            "entry__entry_on",
            "entry__kind",
            "entry__description",
            "entry__source_reference",
            "account_id",
            "side",
            "amount",
            "entry__reverses__number",
            "entry__posted_by__email",
        )
    )


def entry_get(*, fund: Fund, number: str) -> JournalEntry:
    try:
        return entry_list(fund=fund, year=int(number.split("-")[1])).get(number=number)
    except (JournalEntry.DoesNotExist, IndexError, ValueError):
        raise Http404 from None


def entry_years(*, fund: Fund) -> list[int]:
    """Years with entries, newest first, from the entry number series (never the ledger)."""
    return list(
        NumberSeries.objects.filter(fund=fund, series=NumberSeries.Series.ENTRY, last_number__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def closed_period_list(*, fund: Fund) -> QuerySet[ClosedPeriod]:
    return ClosedPeriod.objects.filter(fund=fund).select_related("closed_by").order_by("-year")


def donation_list(*, fund: Fund) -> QuerySet[Donation]:
    return (
        Donation.objects.filter(fund=fund)
        .select_related("donor", "entry", "entry__reversed_by", "letter")
        .order_by("-received_on", "-pk")
    )


def donation_get(*, fund: Fund, pk: int) -> Donation:
    try:
        return donation_list(fund=fund).get(pk=pk)
    except Donation.DoesNotExist:
        raise Http404 from None


def charity_sale_list(*, fund: Fund) -> QuerySet[CharitySale]:
    return (
        CharitySale.objects.filter(fund=fund)
        .select_related("company", "entry", "entry__reversed_by", "letter", "event")
        .order_by("-received_on", "-pk")
    )


def bank_import_list(*, fund: Fund) -> QuerySet[BankImport]:
    """The fund's statement imports, newest first, with who imported them."""
    return (
        BankImport.objects.filter(fund=fund)
        .select_related("imported_by")
        .order_by("-imported_at", "-pk")
    )


def pledge_list(*, fund: Fund) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(fund=fund)
        .select_related("donor")
        .annotate(
            received_count=Count("instalments", filter=Q(instalments__status="received")),
            received_total=Coalesce(Sum("instalments__received_amount"), ZERO),
        )
        .order_by("-starts_on", "-pk")
    )


def pledge_get(*, fund: Fund, pk: int) -> Pledge:
    try:
        return (
            pledge_list(fund=fund)
            .prefetch_related(
                Prefetch(
                    "instalments",
                    queryset=PledgeInstalment.objects.select_related("entry").order_by("sequence"),
                )
            )
            .get(pk=pk)
        )
    except Pledge.DoesNotExist:
        raise Http404 from None


def pledge_instalment_list_overdue(
    *, fund: Fund | None = None, today: datetime.date | None = None
) -> QuerySet[PledgeInstalment]:
    """Instalments past their due date and not received (for staff and the reminders)."""
    instalments = PledgeInstalment.objects.overdue(today).select_related(
        "pledge__donor", "pledge__fund"
    )
    if fund is not None:
        instalments = instalments.filter(pledge__fund=fund)
    return instalments.order_by("due_on", "pk")


def grant_list_manage(*, fund: Fund, status: str = "") -> QuerySet[Grant]:
    grants = Grant.objects.filter(fund=fund).select_related("organisation")
    if status:
        grants = grants.filter(status=status)
    return grants.annotate(approval_count=Count("approvals")).order_by("-submitted_at", "-pk")


def grant_get_manage(*, fund: Fund, pk: int) -> Grant:
    try:
        return (
            Grant.objects.filter(fund=fund)
            .select_related(
                "organisation",
                "applied_by",
                "entered_by",
                "reviewed_by",
                "commitment_entry",
                "payment_entry",
                "cancellation_entry",
            )
            .prefetch_related("approvals__approver", "attachments", "progress_reports")
            .get(pk=pk)
        )
    except Grant.DoesNotExist:
        raise Http404 from None


def grant_list_for_organisation(*, organisation: Organisation) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(organisation=organisation)
        .select_related("fund")
        .order_by("-submitted_at", "-pk")
    )


def grant_get_for_organisation(*, organisation: Organisation, pk: int) -> Grant:
    """One of the organisation's grants; another organisation's is a 404."""
    try:
        return (
            Grant.objects.filter(organisation=organisation)
            .select_related("fund")
            .prefetch_related("attachments", "progress_reports")
            .get(pk=pk)
        )
    except Grant.DoesNotExist:
        raise Http404 from None


def grant_list_report_due(*, first: datetime.date, last: datetime.date) -> QuerySet[Grant]:
    """Approved or paid grants whose final report is due in ``[first, last]`` and not in yet.

    The one definition of "report due": the reminder rule asks it too.
    """
    return (
        Grant.objects.filter(
            status__in=[Grant.Status.APPROVED, Grant.Status.PAID],
            report_submitted_at__isnull=True,
            report_due_on__gte=first,
            report_due_on__lte=last,
        )
        .select_related("organisation", "applied_by")
        .order_by("pk")
    )


def user_is_fund_staff(user: User) -> bool:
    return user.has_perm("funds.view_ledger")


def fund_manager_list() -> list[User]:
    """Everyone who holds ``funds.manage_fund`` (the rule in ``funds.rules``): active staff in
    the fund managers' group, and superusers. The one list reminders and alerts go to."""
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_staff=True, groups__name=FUND_MANAGERS))
        .distinct()
        .order_by("pk")
    )
