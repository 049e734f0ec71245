"""``/streets/hub/…``: a street hub's staff see and run their own street only.

Every object is loaded through a ``*_for_hub`` selector filtered by the hub's
street: another street's organisation, application or event is a 404, as is
the whole area for anyone who is not hub staff.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.pagination import LenientPaginationMixin
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_table
from federation.selectors_hubs import (
    application_get_for_hub,
    application_list_for_hub,
    hub_get_for_user,
    hub_staff_list,
    inspection_rows_for_hub,
    organisation_get_for_hub,
    organisation_list_for_hub,
)
from federation.services import hub_profile_update, hub_recommendation_record

from ..forms import HubProfileForm, RecommendationForm, RegistrySearchForm
from ..login import mark_hub_staff
from ..selectors import hub_figures


class HubStaffMixin(LoginRequiredMixin):
    """Hub staff only (404 for everyone else); ``self.hub`` is their hub."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.hub = hub_get_for_user(user=request.user)
        if self.hub is None or not request.user.has_perm("federation.use_hub_area"):
            raise Http404
        mark_hub_staff(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("hub", self.hub)
        kwargs.setdefault("nav_current", "streets")
        return super().get_context_data(**kwargs)


class HubHomeView(HubStaffMixin, TemplateView):
    template_name = "streets/hub_home.html"

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        return super().get_context_data(
            figures=hub_figures(hub=self.hub, year=year, public_only=False),
            last_year_figures=hub_figures(hub=self.hub, year=year - 1, public_only=False),
            staff=hub_staff_list(hub=self.hub),
            application_count=application_list_for_hub(hub=self.hub).count(),
            **kwargs,
        )


class HubProfileView(HubStaffMixin, FormView):
    template_name = "streets/hub_profile_form.html"
    form_class = HubProfileForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.hub}

    def form_valid(self, form):
        try:
            hub_profile_update(hub=self.hub, acting_user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The hub's page was updated."))
        return HttpResponseRedirect(reverse("streets:hub-home"))


# --- The street's registry --------------------------------------------------------------


class RegistryListView(HubStaffMixin, LenientPaginationMixin, ListView):
    template_name = "streets/registry_list.html"
    context_object_name = "organisations"
    paginate_by = 30

    def get_queryset(self):
        self.search = RegistrySearchForm(self.request.GET or None)
        data = self.search.cleaned_data if self.search.is_valid() else {}
        return organisation_list_for_hub(
            hub=self.hub, query=data.get("q", ""), status=data.get("status", "")
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            search=self.search, query_string=query.urlencode(), **kwargs
        )


EXPORT_COLUMNS = (
    (_("full name"), lambda o: o.name),
    (_("unified social credit code"), lambda o: o.credit_code),
    (_("legal form"), lambda o: o.get_legal_form_display()),
    (_("membership status"), lambda o: o.get_status_display()),
    (_("domicile"), lambda o: o.domicile),
    (_("evaluation rating"), lambda o: o.rating),
    (_("contact person"), lambda o: o.contact_person),
    # Masked as in every list and export: enough to recognise, not enough to call.
    (_("contact phone"), lambda o: o.masked_phone),
    (_("joined the federation on"), lambda o: o.joined_on or ""),
)


class RegistryExportView(HubStaffMixin, View):
    """The street's registry as ``.xlsx``: phones masked, formula-like cells escaped."""

    def get(self, request, *args, **kwargs):
        content = xlsx_table(
            title=self.hub.street.name_zh,
            header=[label for label, _getter in EXPORT_COLUMNS],
            rows=(
                [getter(organisation) for _label, getter in EXPORT_COLUMNS]
                for organisation in organisation_list_for_hub(hub=self.hub)
            ),
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        filename = f"registry-{self.hub.street.code}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class RegistryDetailView(HubStaffMixin, TemplateView):
    template_name = "streets/registry_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=organisation_get_for_hub(hub=self.hub, slug=self.kwargs["slug"]),
            **kwargs,
        )


# --- Applications and inspections -----------------------------------------------------------


class ApplicationListView(HubStaffMixin, ListView):
    template_name = "streets/application_list.html"
    context_object_name = "applications"

    def get_queryset(self):
        return application_list_for_hub(hub=self.hub)


class RecommendView(HubStaffMixin, FormView):
    """The hub's first-level recommendation: advice for federation staff, never a decision."""

    template_name = "streets/recommend_form.html"
    form_class = RecommendationForm

    def get_application(self):
        return application_get_for_hub(hub=self.hub, pk=self.kwargs["pk"])

    def get_initial(self):
        recommendation = getattr(self.get_application(), "hub_recommendation", None)
        if recommendation is None:
            return {}
        return {"verdict": recommendation.verdict, "note": recommendation.note}

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.get_application(), **kwargs)

    def form_valid(self, form):
        try:
            hub_recommendation_record(
                organisation=self.get_application(),
                acting_user=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your recommendation is with the federation's staff, who decide.")
        )
        return HttpResponseRedirect(reverse("streets:hub-application-list"))


class InspectionListView(HubStaffMixin, TemplateView):
    template_name = "streets/inspection_list.html"

    def get_context_data(self, **kwargs):
        last = timezone.localdate().year - 1
        try:
            year = int(self.request.GET.get("year", last))
        except ValueError:
            year = last
        year = min(max(year, 2000), last)
        rows = inspection_rows_for_hub(hub=self.hub, year=year)
        return super().get_context_data(
            year=year,
            years=list(range(last, last - 4, -1)),
            rows=rows,
            late_count=sum(1 for row in rows if row.is_late),
            **kwargs,
        )
