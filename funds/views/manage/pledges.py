"""Pledges, their instalments and the bank statements that pay them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from core.pagination import LenientPaginationMixin

from ... import forms, resources, selectors, services
from ...models import PledgeInstalment
from ._base import FundStaffMixin, ServiceFormView, first_of


class PledgeListView(FundStaffMixin, LenientPaginationMixin, ListView):
    template_name = "funds/pledge_list.html"
    paginate_by = 50
    context_object_name = "pledges"

    def get_queryset(self):
        return selectors.pledge_list(fund=self.fund)

    def get_context_data(self, **kwargs):
        overdue, more = first_of(selectors.pledge_instalment_list_overdue(fund=self.fund))
        kwargs.update(overdue=overdue, overdue_more=more)
        return super().get_context_data(**kwargs)


class PledgeCreateView(ServiceFormView):
    form_class = forms.PledgeForm
    title = gettext_lazy("Record a pledge")
    success_message = gettext_lazy("The pledge and its schedule were recorded.")

    def perform(self, data):
        return services.pledge_create(
            fund=self.fund,
            donor=data["donor"],
            new_donor=data["new_donor"],
            description=data["description"],
            income_kind=data["income_kind"],
            share_percent=data["share_percent"],
            expected_amount=data["expected_amount"],
            starts_on=data["starts_on"],
            instalment_count=data["instalment_count"],
            acting_user=self.request.user,
        )

    def get_success_url(self):
        return self.url("pledge-detail", pk=self.result.pk)


class PledgeDetailView(FundStaffMixin, TemplateView):
    template_name = "funds/pledge_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            pledge=selectors.pledge_get(fund=self.fund, pk=self.kwargs["pk"]),
            today=timezone.localdate(),
        )
        return super().get_context_data(**kwargs)


class InstalmentReceiveView(ServiceFormView):
    form_class = forms.InstalmentReceiveForm
    title = gettext_lazy("Pledge instalment received")
    success_message = gettext_lazy("The receipt was matched and posted.")

    def load_objects(self, **kwargs) -> None:
        self.instalment = get_object_or_404(
            PledgeInstalment.objects.select_related("pledge__fund"),
            pledge__fund=self.fund,
            pk=kwargs["pk"],
        )

    def get_initial(self):
        return {"amount": self.instalment.pledge.expected_amount}

    def perform(self, data):
        return services.pledge_instalment_receive(
            instalment=self.instalment, acting_user=self.request.user, **data
        )

    def get_success_url(self):
        return self.url("pledge-detail", pk=self.instalment.pledge_id)


class BankImportView(ServiceFormView):
    form_class = forms.BankImportForm
    template_name = "funds/bank_import.html"
    title = gettext_lazy("Import a bank statement")

    def form_valid(self, form):
        upload = form.cleaned_data["statement"]
        try:
            rows = resources.statement_read(upload)
            batch = services.bank_statement_import(
                fund=self.fund, rows=rows, file_name=upload.name, acting_user=self.request.user
            )
        except ValidationError as exc:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=exc.messages)
            )
        messages.success(
            self.request,
            _(
                "%(rows)s rows: %(posted)s pledge receipts posted, %(matched)s matched to "
                "recorded donations, %(skipped)s already imported."
            )
            % {
                "rows": batch.row_count,
                "posted": batch.posted_count,
                "matched": batch.matched_count,
                "skipped": batch.skipped_count,
            },
        )
        return redirect(self.url("bank-import"))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("imports", selectors.bank_import_list(fund=self.fund)[:20])
        return super().get_context_data(**kwargs)
