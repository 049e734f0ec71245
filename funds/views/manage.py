"""Staff pages under /fund/manage/<fund>/: managers post, auditors read."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.files import private_file_response
from core.spreadsheets import XLSX_CONTENT_TYPE

from .. import forms, resources, selectors, services
from ..letters import letter_pdf
from ..models import AcknowledgementLetter, CharitySale, Grant, GrantAttachment, PledgeInstalment
from ..money import charity_sale_proceeds


class FundStaffMixin(PermissionRequiredMixin):
    """Fund managers and auditors; ``self.fund`` from the URL."""

    permission_required = "funds.view_ledger"

    def dispatch(self, request, *args, **kwargs):
        # Permission first: whoever may not see the fund must not learn which ids exist.
        if not self.has_permission():
            return self.handle_no_permission()
        self.fund = selectors.fund_get_by_code(kwargs["fund"])
        self.load_objects(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, **kwargs) -> None:
        """Load the URL's objects (after the permission check); 404 when not this fund's."""

    def get_context_data(self, **kwargs):
        kwargs["fund"] = self.fund  # the URL's ``fund`` is the code; templates get the Fund
        kwargs.setdefault("can_manage", self.request.user.has_perm("funds.manage_fund"))
        return super().get_context_data(**kwargs)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"funds:{name}", kwargs={"fund": self.fund.code, **kwargs})


class FundManagerMixin(FundStaffMixin):
    permission_required = "funds.manage_fund"


class ServiceFormView(FundManagerMixin, FormView):
    """A form whose valid data goes to one service; its refusals come back as form errors."""

    template_name = "funds/manage_form.html"
    title = ""
    success_message = gettext_lazy("Saved.")

    def perform(self, data: dict):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.result = self.perform(form.cleaned_data)
        except ValidationError as exc:
            if exc.code == "duplicate_submission":
                return already_posted(self, exc)
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)


def already_posted(view: FundStaffMixin, exc: ValidationError) -> HttpResponseRedirect:
    """The same form arrived twice: show what the first one posted, not an error page."""
    messages.info(view.request, exc.messages[0])
    number = (exc.params or {}).get("number")
    if number:
        return redirect(view.url("entry-detail", number=number))
    return redirect(view.url("entry-list"))


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
        kwargs.update(
            summary=selectors.fund_summary(fund=self.fund),
            trial=selectors.trial_balance(fund=self.fund),
            overdue=selectors.pledge_instalment_list_overdue(fund=self.fund)[:20],
            open_grants=selectors.grant_list_manage(fund=self.fund).filter(
                status__in=[*Grant.OPEN_STATUSES, Grant.Status.APPROVED]
            ),
            years=selectors.entry_years(fund=self.fund),
        )
        return super().get_context_data(**kwargs)


def _year(request, default: int | None = None) -> int:
    form = forms.YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return default or timezone.localdate().year


def _as_of(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


class EntryListView(FundStaffMixin, TemplateView):
    template_name = "funds/entry_list.html"

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        page = Paginator(selectors.entry_list(fund=self.fund, year=year), 100).get_page(
            self.request.GET.get("page")
        )
        kwargs.update(year=year, years=selectors.entry_years(fund=self.fund), page_obj=page)
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


class DonationListView(FundStaffMixin, TemplateView):
    template_name = "funds/donation_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.donation_list(fund=self.fund), 50).get_page(
            self.request.GET.get("page")
        )
        kwargs.update(page_obj=page)
        return super().get_context_data(**kwargs)


class DonationCreateView(ServiceFormView):
    form_class = forms.DonationForm
    title = gettext_lazy("Record a donation")
    success_message = gettext_lazy("The donation was recorded and posted.")

    def perform(self, data):
        return services.donation_record(
            fund=self.fund,
            donor=data["donor"],
            new_donor=data["new_donor"],
            form=data["form"],
            amount=data["amount"],
            goods_description=data["goods_description"],
            channel=data["channel"],
            received_on=data["received_on"],
            restricted_purpose=data["restricted_purpose"],
            receipt_status=data["receipt_status"],
            receipt_number=data["receipt_number"],
            receipt_issued_on=data["receipt_issued_on"],
            bank_reference=data["bank_reference"],
            submission_key=data["submission_key"],
            acting_user=self.request.user,
        )

    def get_success_url(self):
        return self.url("donation-list")


class DonationReceiptView(ServiceFormView):
    form_class = forms.DonationReceiptForm
    title = gettext_lazy("Official receipt")

    def load_objects(self, **kwargs) -> None:
        self.donation = selectors.donation_get(fund=self.fund, pk=kwargs["pk"])

    def get_initial(self):
        return {
            "receipt_status": self.donation.receipt_status,
            "receipt_number": self.donation.receipt_number,
            "receipt_issued_on": self.donation.receipt_issued_on,
        }

    def perform(self, data):
        return services.donation_receipt_update(
            donation=self.donation, acting_user=self.request.user, **data
        )

    def get_success_url(self):
        return self.url("donation-list")


class LetterIssueView(FundManagerMixin, View):
    """POST: number a thank-you letter for a donation or a charity sale, then show it."""

    def post(self, request, fund, kind, pk):
        if kind not in ("donation", "charity-sale"):
            raise Http404
        if kind == "donation":
            gift = {"donation": selectors.donation_get(fund=self.fund, pk=pk)}
        else:
            gift = {"charity_sale": get_object_or_404(CharitySale, fund=self.fund, pk=pk)}
        existing = AcknowledgementLetter.objects.filter(**gift).first()
        if existing:
            return redirect(self.url("letter-pdf", number=existing.number))
        try:
            letter = services.acknowledgement_letter_issue(acting_user=request.user, **gift)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(
                self.url("donation-list" if kind == "donation" else "charity-sale-list")
            )
        return redirect(self.url("letter-pdf", number=letter.number))


class LetterPdfView(FundStaffMixin, View):
    def get(self, request, fund, number):
        letter = get_object_or_404(
            AcknowledgementLetter.objects.select_related("fund"), fund=self.fund, number=number
        )
        response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letter.number}.pdf"'
        return response


class CharitySaleListView(FundStaffMixin, TemplateView):
    template_name = "funds/charitysale_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.charity_sale_list(fund=self.fund), 50).get_page(
            self.request.GET.get("page")
        )
        kwargs.update(page_obj=page, sales=page.object_list)
        return super().get_context_data(**kwargs)


class CharitySaleCreateView(ServiceFormView):
    """Two steps: the proceeds are computed and shown, then confirmed and posted."""

    form_class = forms.CharitySaleForm
    template_name = "funds/charitysale_form.html"
    title = gettext_lazy("Record a charity sale")
    success_message = gettext_lazy("The charity sale was recorded and posted.")

    def form_valid(self, form):
        data = form.cleaned_data
        proceeds = charity_sale_proceeds(
            turnover=data["turnover"], share_percent=data["share_percent"]
        )
        if "confirm" not in self.request.POST or data.get("expected_proceeds") != proceeds:
            form.data = form.data.copy()
            form.data["expected_proceeds"] = str(proceeds)
            return self.render_to_response(
                self.get_context_data(form=form, preview=True, proceeds=proceeds)
            )
        return super().form_valid(form)

    def perform(self, data):
        return services.charity_sale_record(
            fund=self.fund,
            company=data["donor"],
            new_company=data["new_donor"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            turnover=data["turnover"],
            share_percent=data["share_percent"],
            received_on=data["received_on"],
            expected_proceeds=data["expected_proceeds"],
            event=data["event"],
            bank_reference=data["bank_reference"],
            submission_key=data["submission_key"],
            acting_user=self.request.user,
        )

    def get_success_url(self):
        return self.url("charity-sale-list")


class PerformanceCreateView(ServiceFormView):
    form_class = forms.CharityPerformanceForm
    title = gettext_lazy("Record a charity performance")
    success_message = gettext_lazy("The performance was recorded and posted.")

    def perform(self, data):
        return services.charity_performance_record(
            fund=self.fund, acting_user=self.request.user, **data
        )

    def get_success_url(self):
        return self.url("manage-dashboard")


class PledgeListView(FundStaffMixin, TemplateView):
    template_name = "funds/pledge_list.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            pledges=selectors.pledge_list(fund=self.fund),
            overdue=selectors.pledge_instalment_list_overdue(fund=self.fund),
        )
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


class GrantListView(FundStaffMixin, TemplateView):
    template_name = "funds/grant_list_manage.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        if status not in Grant.Status.values:
            status = ""
        page = Paginator(selectors.grant_list_manage(fund=self.fund, status=status), 50).get_page(
            self.request.GET.get("page")
        )
        kwargs.update(
            page_obj=page,
            grants=page.object_list,
            status=status,
            statuses=Grant.Status.choices,
        )
        return super().get_context_data(**kwargs)


class GrantEnterView(ServiceFormView):
    form_class = forms.StaffGrantForm
    title = gettext_lazy("Enter a grant application")
    success_message = gettext_lazy("The application was entered.")

    def perform(self, data):
        attachment = data.pop("attachment")
        return services.grant_enter(
            fund=self.fund,
            attachments=[attachment] if attachment else [],
            acting_user=self.request.user,
            **data,
        )

    def get_success_url(self):
        return self.url("grant-detail", pk=self.result.pk)


class GrantDetailView(FundStaffMixin, TemplateView):
    template_name = "funds/grant_detail_manage.html"

    def get_context_data(self, **kwargs):
        grant = selectors.grant_get_manage(fund=self.fund, pk=self.kwargs["pk"])
        kwargs.update(
            grant=grant,
            approvers=[approval.approver for approval in grant.approvals.all()],
            review_form=forms.GrantReviewForm(
                initial={
                    "amount_approved": grant.amount_approved or grant.amount_requested,
                    "report_due_on": grant.report_due_on
                    or grant.project_ends_on + datetime.timedelta(days=30),
                }
            ),
            reason_form=forms.ReasonForm(),
            pay_form=forms.GrantPayForm(),
            can_approve=self.request.user.pk not in grant.requesters(),
            has_approved=any(
                approval.approver_id == self.request.user.pk for approval in grant.approvals.all()
            ),
            available=selectors.fund_available(fund=self.fund),
        )
        return super().get_context_data(**kwargs)


class GrantActionView(FundManagerMixin, View):
    """POST one decision on a grant; refusals come back as messages on the grant page."""

    actions = {
        "review": forms.GrantReviewForm,
        "approve": None,
        "reject": forms.ReasonForm,
        "pay": forms.GrantPayForm,
        "cancel": forms.ReasonForm,
    }

    def post(self, request, fund, pk, action):
        if action not in self.actions:
            raise Http404
        grant = get_object_or_404(Grant, fund=self.fund, pk=pk)
        form_class = self.actions[action]
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for line in forms.error_messages(form):
                    messages.error(request, line)
                return redirect(self.url("grant-detail", pk=pk))
            data = form.cleaned_data
        try:
            self.perform(action, grant, data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
        return redirect(self.url("grant-detail", pk=pk))

    def perform(self, action, grant, data):
        user = self.request.user
        if action == "review":
            return services.grant_review(grant=grant, acting_user=user, **data)
        if action == "approve":
            return services.grant_approve(grant=grant, acting_user=user)
        if action == "reject":
            return services.grant_reject(grant=grant, reason=data["reason"], acting_user=user)
        if action == "pay":
            return services.grant_pay(grant=grant, acting_user=user, **data)
        return services.grant_cancel(grant=grant, reason=data["reason"], acting_user=user)


class AttachmentView(FundStaffMixin, View):
    def get(self, request, fund, pk):
        attachment = get_object_or_404(GrantAttachment, grant__fund=self.fund, pk=pk)
        return private_file_response(attachment.file, filename=attachment.original_name)


class ExportView(FundStaffMixin, View):
    """Ledger, trial balance and income/expense as .xlsx (text cells formula-escaped)."""

    def get(self, request, fund, report):
        if report == "ledger":
            year = _year(request)
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
