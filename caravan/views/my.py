from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from events.models import Participant
from federation.access import OrganisationRequiredMixin

from .. import selectors, services
from ..forms import ApplyForm, QualificationForm, RecordForm
from ._common import form_errors_from, refusal_message


class _MyMixin(OrganisationRequiredMixin):
    org_admin_required = True

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "my")
        return super().get_context_data(**kwargs)


class MyBoothListView(_MyMixin, TemplateView):
    """``/my/caravan/``: our booths (withdraw, record people served) and slots still open."""

    template_name = "caravan/my_booth_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            applications=selectors.application_list_for_organisation(
                organisation=self.organisation
            )[:50],
            open_slots=selectors.open_slot_list()[:60],
            participants=selectors.participant_list_with_qualifications(
                organisation=self.organisation
            ),
        )
        return context


class MyApplyView(_MyMixin, FormView):
    template_name = "caravan/my_apply.html"
    form_class = ApplyForm

    def dispatch(self, request, *args, **kwargs):
        self.slot = None
        return super().dispatch(request, *args, **kwargs)

    def _slot(self):
        if self.slot is None:
            self.slot = selectors.open_slot_get(pk=self.kwargs["pk"])
        return self.slot

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = Participant.objects.filter(
            organisation=self.organisation, is_active=True
        ).prefetch_related("qualifications")
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("slot", self._slot())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.booth_apply(
                slot=self._slot(),
                organisation=self.organisation,
                people=form.cleaned_data["people"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Applied; the federation staff will confirm."))
        return redirect("caravan:my-booth-list")


class MyWithdrawView(_MyMixin, View):
    def post(self, request, pk):
        application = selectors.application_get_for_organisation(
            organisation=self.organisation, pk=pk
        )
        try:
            services.booth_withdraw(application=application, acting_user=request.user)
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("Withdrawn; the booth is open again."))
        return redirect("caravan:my-booth-list")


class MyRecordView(_MyMixin, FormView):
    """People served at one of our booths (and a sale's turnover)."""

    template_name = "caravan/my_record.html"
    form_class = RecordForm

    def dispatch(self, request, *args, **kwargs):
        self.application = None
        return super().dispatch(request, *args, **kwargs)

    def _application(self):
        if self.application is None:
            self.application = selectors.application_get_for_organisation(
                organisation=self.organisation, pk=self.kwargs["pk"]
            )
        return self.application

    def get_initial(self):
        record = getattr(self._application(), "record", None)
        if record is None:
            return {}
        return {
            "people_served": record.people_served,
            "turnover": record.turnover,
            "note": record.note,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("application", self._application())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.service_record_save(
                application=self._application(),
                people_served=form.cleaned_data["people_served"],
                turnover=form.cleaned_data["turnover"],
                note=form.cleaned_data["note"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Record saved. Thank you."))
        return redirect("caravan:my-booth-list")


class MyQualificationCreateView(_MyMixin, FormView):
    template_name = "caravan/my_qualification_form.html"
    form_class = QualificationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["participants"] = Participant.objects.filter(
            organisation=self.organisation, is_active=True
        )
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.qualification_add(
                participant=data["participant"],
                kind=data["kind"],
                number=data["number"],
                issuer=data["issuer"],
                expires_on=data["expires_on"],
                scan=data.get("scan"),
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Qualification recorded."))
        return redirect("caravan:my-booth-list")
