"""The ledger: dashboard, entries, trial balance, periods and exports."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from core.files import private_file_response, private_storage
from core.pagination import LenientPaginationMixin
from core.spreadsheets import XLSX_CONTENT_TYPE

from ... import forms, resources, selectors, services, tasks
from ...models import Grant
from ._base import (
    FundManagerMixin,
    FundStaffMixin,
    ServiceFormView,
    _as_of,
    _year,
    already_posted,
    first_of,
)


class ManageIndexView(PermissionRequiredMixin, View):
    permission_required = "funds.view_ledger"

    def get(self, request):
        fund = selectors.fund_list().first()
        if fund is None:
            raise Http404
        return redirect("funds:manage-dashboard", fund=fund.code)


class DashboardView(FundStaffMixin, TemplateView):
    template_name = "funds/manage_dashboard.html"

    def get_context_data(self, **kwargs):
        balances = selectors.account_balances(fund=self.fund)
        open_grants, open_grants_more = first_of(
            selectors.grant_list_manage(fund=self.fund).filter(
                status__in=[*Grant.OPEN_STATUSES, Grant.Status.APPROVED]
            )
        )
        overdue, overdue_more = first_of(selectors.pledge_instalment_list_overdue(fund=self.fund))
        kwargs.update(
            summary=selectors.fund_summary(fund=self.fund, balances=balances),
            trial=selectors.trial_balance(fund=self.fund, balances=balances),
            overdue=overdue,
            overdue_more=overdue_more,
            open_grants=open_grants,
            open_grants_more=open_grants_more,
            years=selectors.entry_years(fund=self.fund),
        )
        return super().get_context_data(**kwargs)


class EntryListView(FundStaffMixin, LenientPaginationMixin, ListView):
    template_name = "funds/entry_list.html"
    paginate_by = 100

    def get_queryset(self):
        self.year = _year(self.request)
        return selectors.entry_list(fund=self.fund, year=self.year)

    def get_context_data(self, **kwargs):
        kwargs.update(year=self.year, years=selectors.entry_years(fund=self.fund))
        return super().get_context_data(**kwargs)


class EntryDetailView(FundStaffMixin, TemplateView):
    template_name = "funds/entry_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            entry=selectors.entry_get(fund=self.fund, number=self.kwargs["number"]),
            reverse_form=forms.ReasonForm(),
        )
        return super().get_context_data(**kwargs)


class EntryReverseView(ServiceFormView):
    form_class = forms.ReasonForm
    title = gettext_lazy("Reverse an entry")
    success_message = gettext_lazy("The reversing entry was posted.")

    def perform(self, data):
        entry = selectors.entry_get(fund=self.fund, number=self.kwargs["number"])
        return services.journal_entry_reverse(
            entry=entry, reason=data["reason"], acting_user=self.request.user
        )

    def get_success_url(self):
        return self.url("entry-detail", number=self.result.number)


class EntryCreateView(FundManagerMixin, TemplateView):
    template_name = "funds/entry_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", forms.EntryForm())
        kwargs.setdefault(
            "formset", forms.PostingLineFormSet(form_kwargs={"fund": self.fund}, prefix="lines")
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = forms.EntryForm(request.POST)
        formset = forms.PostingLineFormSet(
            request.POST, form_kwargs={"fund": self.fund}, prefix="lines"
        )
        if form.is_valid() and formset.is_valid():
            lines = [
                (line["account"], line["side"], line["amount"])
                for line in formset.cleaned_data
                if line
            ]
            try:
                entry = services.journal_entry_post(
                    fund=self.fund,
                    entry_on=form.cleaned_data["entry_on"],
                    description=form.cleaned_data["description"],
                    source_reference=form.cleaned_data["source_reference"],
                    lines=lines,
                    submission_key=form.cleaned_data["submission_key"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                if exc.code == "duplicate_submission":
                    return already_posted(self, exc)
                form.add_error(None, exc)
            else:
                messages.success(request, _("Entry %(number)s posted.") % {"number": entry.number})
                return redirect(self.url("entry-detail", number=entry.number))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class TrialBalanceView(FundStaffMixin, TemplateView):
    template_name = "funds/trial_balance.html"

    def get_context_data(self, **kwargs):
        as_of = _as_of(self.request)
        kwargs.update(as_of=as_of, trial=selectors.trial_balance(fund=self.fund, as_of=as_of))
        return super().get_context_data(**kwargs)


class PeriodCloseView(ServiceFormView):
    form_class = forms.PeriodCloseForm
    template_name = "funds/period_list.html"
    success_message = gettext_lazy("The year is closed.")

    def get_permission_required(self):
        # Auditors see the closed years; only managers close one.
        if self.request.method in ("GET", "HEAD"):
            return ("funds.view_ledger",)
        return ("funds.manage_fund",)

    def get_initial(self):
        return {"year": timezone.localdate().year - 1}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("periods", selectors.closed_period_list(fund=self.fund))
        return super().get_context_data(**kwargs)

    def perform(self, data):
        return services.period_close(
            fund=self.fund, year=data["year"], acting_user=self.request.user
        )

    def get_success_url(self):
        return self.url("periods")


# A ledger file queued this long ago and still missing is queued again (a lost task).
LEDGER_QUEUED_FOR = 10 * 60


class ExportView(FundStaffMixin, View):
    """Ledger, trial balance and income/expense as .xlsx (text cells formula-escaped)."""

    def get(self, request, fund, report):
        if report == "ledger":
            year = _year(request)
            ledger = resources.ledger_file(fund=self.fund, year=year)
            if ledger.is_large:
                return self.large_ledger(ledger, year=year)
            content, name = resources.ledger_xlsx(fund=self.fund, year=year), f"ledger-{year}"
        elif report == "trial-balance":
            as_of = _as_of(request)
            content = resources.trial_balance_xlsx(fund=self.fund, as_of=as_of)
            name = f"trial-balance-{as_of.isoformat()}"
        elif report == "income-expense":
            content, name = resources.income_expense_xlsx(fund=self.fund), "income-expense"
        else:
            raise Http404
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.fund.code}-{name}.xlsx"'
        return response

    def large_ledger(self, ledger: resources.LedgerFile, *, year: int):
        """The prepared file when it is there; else queue it (once) and say it is coming."""
        filename = f"{self.fund.code}-ledger-{year}.xlsx"
        if ledger.is_ready():
            return private_file_response(private_storage().open(ledger.name), filename=filename)
        if cache.add(ledger.queued_key, True, timeout=LEDGER_QUEUED_FOR):
            tasks.ledger_file_prepare.delay(self.fund.pk, year, translation.get_language())
        context = {
            "fund": self.fund,
            "can_manage": self.request.user.has_perm("funds.manage_fund"),
            "year": year,
            "refresh_seconds": 5,
        }
        return render(self.request, "funds/export_preparing.html", context)
