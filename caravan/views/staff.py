from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from core.spreadsheets import XLSX_CONTENT_TYPE

from .. import selectors, services
from ..exports import history_rows, matrix_xlsx
from ..forms import GenerateForm, HistoryImportForm, PostProceedsForm, ReasonForm, year_choice
from ..models import BoothApplication, Caravan, ServiceRecord
from ._common import form_errors_from, refusal_message


class StaffMixin(PermissionRequiredMixin):
    permission_required = "caravan.manage_caravan"


class ManageView(StaffMixin, TemplateView):
    """``/caravan/manage/``: caravans, generation, applications awaiting a decision."""

    template_name = "caravan/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            caravans=selectors.caravan_list_for_staff()[:36],
            pending=selectors.application_list_pending(),
            generate_form=kwargs.get("generate_form") or GenerateForm(),
            reason_form=ReasonForm(),
        )
        return context


class GenerateView(StaffMixin, View):
    def post(self, request):
        form = GenerateForm(request.POST)
        if form.is_valid():
            try:
                created = services.caravan_generate(
                    series=form.cleaned_data["series"],
                    months=form.cleaned_data["months"],
                    first_month=form.cleaned_data["first_month"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                refusal_message(request, error)
            else:
                messages.success(
                    request, _("%(count)s draft caravans created.") % {"count": len(created)}
                )
        else:
            messages.error(request, _("Check the series, month and number of months."))
        return redirect("caravan:manage")


class PublishView(StaffMixin, View):
    def post(self, request, pk):
        caravan = get_object_or_404(Caravan, pk=pk)
        try:
            services.caravan_publish(caravan=caravan, acting_user=request.user)
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("Published: hosts may apply, volunteers sign up."))
        return redirect("caravan:manage")


class CancelView(StaffMixin, FormView):
    template_name = "caravan/cancel.html"
    form_class = ReasonForm

    def dispatch(self, request, *args, **kwargs):
        self.caravan = get_object_or_404(Caravan.objects.select_related("event"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("caravan", self.caravan)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.caravan_cancel(
                caravan=self.caravan,
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Cancelled; every host, volunteer and registrant is told.")
        )
        return redirect("caravan:manage")


class DecideView(StaffMixin, View):
    def post(self, request, pk, decision):
        if decision not in ("confirm", "decline"):
            raise Http404
        application = get_object_or_404(BoothApplication, pk=pk)
        try:
            if decision == "confirm":
                services.booth_confirm(application=application, acting_user=request.user)
            else:
                services.booth_decline(
                    application=application,
                    reason=request.POST.get("reason", ""),
                    acting_user=request.user,
                )
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("Decision saved; the organisation is told."))
        return redirect("caravan:manage")


class MatrixView(StaffMixin, TemplateView):
    """Months × service kinds: hosts, open slots, qualifications to check; fairness."""

    template_name = "caravan/matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_choice(self.request.GET.get("year"))
        context.update(matrix=selectors.booth_matrix(year=year), year=year)
        return context


class MatrixXlsxView(StaffMixin, View):
    def get(self, request):
        year = year_choice(request.GET.get("year"))
        response = HttpResponse(
            matrix_xlsx(selectors.booth_matrix(year=year)), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="caravan-booths-{year}.xlsx"'
        return response


class TotalsView(StaffMixin, TemplateView):
    """People served by kind, month and year since 2009; sale records and their posting."""

    template_name = "caravan/totals.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_choice(self.request.GET.get("year"))
        totals = selectors.record_totals(year=year)
        context.update(
            year=year,
            totals=totals,
            kind_rows=[(kind, totals.by_kind.get(kind.code, 0)) for kind in totals.kinds],
            sales=selectors.sale_record_list(year=year),
            post_form=PostProceedsForm(),
            import_form=HistoryImportForm(),
            can_post=self.request.user.has_perm("funds.manage_fund"),
        )
        return context


class PostProceedsView(StaffMixin, View):
    def post(self, request, pk):
        record = get_object_or_404(ServiceRecord, pk=pk)
        form = PostProceedsForm(request.POST)
        received_on = form.cleaned_data["received_on"] if form.is_valid() else timezone.localdate()
        try:
            sale = services.service_record_post_proceeds(
                record=record, received_on=received_on, acting_user=request.user
            )
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(
                request, _("Posted to the fund: %(number)s.") % {"number": sale.entry.number}
            )
        return redirect(f"{reverse('caravan:totals')}?year={record.held_on.year}")


class HistoryImportView(StaffMixin, View):
    def post(self, request):
        form = HistoryImportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a spreadsheet to import."))
            return redirect("caravan:totals")
        try:
            count = services.service_record_import(
                rows=history_rows(form.cleaned_data["file"]), acting_user=request.user
            )
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("%(count)s history rows imported.") % {"count": count})
        return redirect("caravan:totals")
