"""The Spring Bud Fund: income by channel, grants by purpose, balance month by month."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds import selectors_stats as stats
from funds.models import Fund

from ..links import changelist, month_axis, month_labels
from ..registry import Cell, Chart, Figure, Filters, Panel, PanelData, Series, register_panel


def _fund(filters: Filters) -> Fund | None:
    return filters.shared(
        "fund", lambda: Fund.objects.filter(is_public=True).order_by("position", "pk").first()
    )


def _year(filters: Filters, fund: Fund) -> stats.FundYear:
    """The year's account totals and month-end balances: one pass over its postings, shared
    by the income and the balance panels."""
    return filters.shared("fund_year", lambda: stats.fund_year(fund=fund, year=filters.year))


def _empty() -> PanelData:
    return PanelData(columns=[], rows=[], note=_("No fund is set up."))


def income_by_channel(filters: Filters) -> PanelData:
    fund = _fund(filters)
    if fund is None:
        return _empty()
    # One sum over the year's postings serves the channels, the totals and the balances.
    balances = _year(filters, fund).balances
    rows = stats.income_by_channel(fund=fund, balances=balances)
    income, expense = stats.year_totals(fund=fund, year=filters.year, balances=balances)
    ledger = changelist("funds.journalentry", fund__id__exact=fund.pk, year__exact=filters.year)
    table = [[Cell(account.name), Cell(amount, ledger)] for account, amount in rows]
    table.append([Cell(_("Total")), Cell(income, ledger)])
    return PanelData(
        columns=[_("Channel"), _("Income (yuan)")],
        rows=table,
        figures=[
            Figure(_("Income"), income, ledger),
            Figure(_("Grants and fees"), expense, ledger),
        ],
        chart=Chart(
            "hbar",
            [account.name for account, _amount in rows],
            [
                Series(
                    _("Income (yuan)"), [amount for _account, amount in rows], [ledger] * len(rows)
                )
            ],
            money=True,
        ),
    )


def grants_by_purpose(filters: Filters) -> PanelData:
    fund = _fund(filters)
    if fund is None:
        return _empty()
    rows = stats.grants_by_purpose_for_year(fund=fund, year=filters.year)
    links = [
        changelist("funds.grant", purpose__exact=purpose) for purpose, _label, _n, _total in rows
    ]
    return PanelData(
        columns=[_("Purpose"), _("Grants"), _("Amount (yuan)")],
        rows=[
            [Cell(label), Cell(count, link), Cell(total)]
            for (_purpose, label, count, total), link in zip(rows, links, strict=True)
        ],
        chart=Chart(
            "hbar",
            [label for _purpose, label, _n, _total in rows],
            [Series(_("Amount (yuan)"), [row[3] for row in rows], links)],
            money=True,
        ),
        note=_("Grants approved in the year whose commitment stands."),
    )


def balance_by_month(filters: Filters) -> PanelData:
    fund = _fund(filters)
    if fund is None:
        return _empty()
    rows = _year(filters, fund).months
    labels = month_labels()
    links = [
        changelist(
            "funds.journalentry",
            fund__id__exact=fund.pk,
            entry_on__year=filters.year,
            entry_on__month=month,
        )
        for month, _balance in rows
    ]
    return PanelData(
        columns=[_("Month"), _("Balance at month end (yuan)")],
        rows=[
            [Cell(label), Cell(balance, link)]
            for label, (_month, balance), link in zip(labels, rows, links, strict=True)
        ],
        chart=Chart(
            kind="line",
            series=[Series(_("Balance"), [b for _m, b in rows], links)],
            money=True,
            **month_axis(),
        ),
        note=_("Net assets (assets less liabilities) from the ledger's postings."),
    )


register_panel(
    Panel(
        "fund-income",
        gettext_lazy("Fund income by channel"),
        income_by_channel,
        50,
        street_scoped=False,
        reads=("funds",),
    )
)
register_panel(
    Panel(
        "fund-grants",
        gettext_lazy("Grants by purpose"),
        grants_by_purpose,
        51,
        street_scoped=False,
        reads=("funds",),
    )
)
register_panel(
    Panel(
        "fund-balance",
        gettext_lazy("Fund balance over the year"),
        balance_by_month,
        52,
        street_scoped=False,
        reads=("funds",),
    )
)
