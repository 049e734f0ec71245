"""Donations, receipts, acknowledgement letters, charity sales and performances."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from core.forms import error_text
from core.pagination import UncountedPaginationMixin

from ... import forms, selectors, services
from ...models import AcknowledgementLetter, CharitySale
from ...money import charity_sale_proceeds
from ._base import FundManagerMixin, FundStaffMixin, ServiceFormView


class DonationListView(FundStaffMixin, UncountedPaginationMixin, ListView):
    template_name = "funds/donation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.donation_list(fund=self.fund)


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
            messages.error(request, error_text(exc))
            return redirect(
                self.url("donation-list" if kind == "donation" else "charity-sale-list")
            )
        return redirect(self.url("letter-pdf", number=letter.number))


class LetterPdfView(FundStaffMixin, View):
    def get(self, request, fund, number):
        letter = get_object_or_404(
            AcknowledgementLetter.objects.select_related("fund"), fund=self.fund, number=number
        )
        from ...letters import letter_pdf  # reportlab loads on first use

        response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letter.number}.pdf"'
        return response


class CharitySaleListView(FundStaffMixin, UncountedPaginationMixin, ListView):
    template_name = "funds/charitysale_list.html"
    paginate_by = 50
    context_object_name = "sales"

    def get_queryset(self):
        return selectors.charity_sale_list(fund=self.fund)


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
