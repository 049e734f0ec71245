"""The public disclosure: /fund/, /fund/gifts/ and /fund/grants/.

/fund/ shows the latest grants, gifts and long-running projects only, each with a
link to its full paginated list: its size never grows with the fund's history.
"""

from django.utils import timezone
from django.views.generic import ListView, TemplateView

from core.pagecache import PublicPageCacheMixin
from core.pagination import LenientPaginationMixin, UncountedPaginationMixin

from .. import charts, selectors, selectors_shown
from ..forms import YearForm

# The latest grants on /fund/ (and their quarterly progress); the rest on /fund/grants/.
FUND_PAGE_GRANTS = 10


class FundPublicView(PublicPageCacheMixin, TemplateView):
    page_cache_namespaces = ("funds", "organisations", "events")

    template_name = "funds/fund_public.html"

    def get_context_data(self, **kwargs):
        fund = selectors.fund_get_public()
        by_year = selectors_shown.fund_accounts_by_year_shown(fund=fund)
        years = [totals for totals, _rows in by_year]
        balances = selectors.account_balances_from_years(by_year)
        income = selectors.income_by_channel(fund=fund, balances=balances)
        purposes = selectors.grants_by_purpose(fund=fund)
        # One more than shown tells whether to say "the latest N" (no count query).
        grants = list(selectors.grant_list_public(fund=fund)[: FUND_PAGE_GRANTS + 1])
        grants_more = len(grants) > FUND_PAGE_GRANTS
        grants = grants[:FUND_PAGE_GRANTS]
        gifts = [
            selectors.gift_row(entry) for entry in selectors.gift_entries_public(fund=fund)[:20]
        ]
        kwargs.update(
            fund=fund,
            summary=selectors.fund_summary(fund=fund, balances=balances),
            years=years,
            income=income,
            purposes=purposes,
            grants=grants,
            grants_more=grants_more,
            gifts=gifts,
            projects=selectors.long_running_projects(grants=grants, today=timezone.localdate()),
            last_updated=selectors.fund_last_updated(fund=fund),
            chart_years=charts.chart_years(years) if years else "",
            chart_income=charts.chart_income(income) if income else "",
            chart_grants=charts.chart_grants(purposes) if purposes else "",
        )
        return super().get_context_data(**kwargs)


class GiftListView(PublicPageCacheMixin, UncountedPaginationMixin, ListView):
    page_cache_namespaces = ("funds", "organisations")

    template_name = "funds/gift_list.html"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        self.fund = selectors.fund_get_public()
        form = YearForm(self.request.GET or None)
        self.year = form.cleaned_data.get("year") if form.is_valid() else None
        return selectors.gift_entries_public(fund=self.fund, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            fund=self.fund,
            year=self.year,
            years=selectors.entry_years(fund=self.fund),
            gifts=[selectors.gift_row(entry) for entry in context["page_obj"].object_list],
        )
        return context


class GrantListPublicView(PublicPageCacheMixin, LenientPaginationMixin, ListView):
    """Every grant whose commitment stands, 50 a page, with the quarterly progress of the
    page's long-running projects."""

    template_name = "funds/grant_list_public.html"
    paginate_by = 50
    context_object_name = "grants"

    def get_queryset(self):
        self.fund = selectors.fund_get_public()
        return selectors.grant_list_public(fund=self.fund)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            fund=self.fund,
            projects=selectors.long_running_projects(
                grants=context["page_obj"].object_list, today=timezone.localdate()
            ),
        )
        return context
