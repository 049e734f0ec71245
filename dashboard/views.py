"""Staff dashboard, annual report downloads and evidence packs (HTTP only)."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from core.spreadsheets import XLSX_CONTENT_TYPE
from federation.access import OrganisationRequiredMixin
from federation.models import Organisation

from . import documents, selectors
from .charts import render_svg
from .registry import Filters


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _StaffMixin(PermissionRequiredMixin):
    permission_required = "dashboard.view_dashboard"

    def get_filters(self) -> Filters:
        streets = selectors.street_list()
        forced = selectors.street_forced_for(self.request.user)
        street = forced or selectors.street_from(self.request.GET.get("street"), streets=streets)
        self.streets = [forced] if forced else streets
        return Filters(year=selectors.year_from(self.request.GET.get("year")), street=street)


class DashboardView(_StaffMixin, TemplateView):
    """``/staff/``: the year's panels, each a chart, its figures and its table."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        filters = self.get_filters()
        panels = [
            (result, render_svg(result.data.chart) if result.data.chart else "")
            for result in selectors.panel_results(filters)
        ]
        return super().get_context_data(
            filters=filters,
            panels=panels,
            streets=self.streets,
            years=selectors.year_choices(),
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class AnnualReportXlsxView(_StaffMixin, View):
    def get(self, request):
        filters = self.get_filters()
        return _download(
            documents.annual_report_xlsx(filters),
            XLSX_CONTENT_TYPE,
            documents.annual_report_filename(filters, "xlsx"),
        )


class AnnualReportPdfView(_StaffMixin, View):
    def get(self, request):
        filters = self.get_filters()
        return _download(
            documents.annual_report_pdf(filters),
            "application/pdf",
            documents.annual_report_filename(filters, "pdf"),
        )


class EvidenceSearchView(_StaffMixin, TemplateView):
    """``/staff/evidence/?q=``: staff find an organisation to download its evidence pack."""

    template_name = "dashboard/evidence_search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        organisations = (
            Organisation.objects.filter(name__icontains=query).order_by("name")[:30]
            if query
            else []
        )
        return super().get_context_data(query=query, organisations=organisations, **kwargs)


class MyEvidenceView(OrganisationRequiredMixin, View):
    """``/my/evidence/``: the current organisation's pack (its admins)."""

    org_admin_required = True

    def get(self, request):
        return redirect("dashboard:evidence", slug=self.organisation.slug)


class _EvidenceMixin(LoginRequiredMixin):
    """The organisation from the URL; 404 unless the user may download its pack."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        organisation = selectors.organisation_get_by_slug(kwargs["slug"])
        if organisation is None or not request.user.has_perm(
            "dashboard.download_evidence_pack", organisation
        ):
            raise Http404
        if "year" in kwargs and selectors.year_from(str(kwargs["year"])) != kwargs["year"]:
            raise Http404
        self.organisation = organisation
        return super().dispatch(request, *args, **kwargs)


class EvidencePackView(_EvidenceMixin, TemplateView):
    template_name = "dashboard/evidence.html"

    def get_context_data(self, **kwargs):
        year = selectors.year_from(self.request.GET.get("year"))
        return super().get_context_data(
            organisation=self.organisation,
            year=year,
            years=selectors.year_choices(),
            results=selectors.evidence_results(organisation=self.organisation, year=year),
            **kwargs,
        )


class EvidencePackXlsxView(_EvidenceMixin, View):
    def get(self, request, slug, year):
        return _download(
            documents.evidence_pack_xlsx(organisation=self.organisation, year=year),
            XLSX_CONTENT_TYPE,
            documents.evidence_pack_filename(self.organisation, year, "xlsx"),
        )


class EvidencePackPdfView(_EvidenceMixin, View):
    def get(self, request, slug, year):
        return _download(
            documents.evidence_pack_pdf(organisation=self.organisation, year=year),
            "application/pdf",
            documents.evidence_pack_filename(self.organisation, year, "pdf"),
        )
