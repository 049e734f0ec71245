"""HTTP for the catalogue: the public pages, an organisation's own offerings, staff review."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from core.forms import add_service_errors, error_text
from core.pagecache import PublicPageCacheMixin
from core.pagination import LenientPaginationMixin
from core.spreadsheets import XLSX_CONTENT_TYPE
from events.selectors import event_list_for_organiser
from federation.access import OrganisationRequiredMixin

from . import selectors, services
from .forms import OfferingForm, PhotoForm, ReturnForm, catalogue_filter_form
from .models import MAX_PHOTOS, ServiceOffering
from .sections import next_offered


class _CatalogueNavMixin:
    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "services")
        return super().get_context_data(**kwargs)


# --- Public ----------------------------------------------------------------------------


class OfferingListView(PublicPageCacheMixin, _CatalogueNavMixin, LenientPaginationMixin, ListView):
    """``/services/``: published offerings by field and street, searchable (pinyin too)."""

    page_cache_namespaces = ("catalogue", "organisations", "streets")

    template_name = "catalogue/offering_list.html"
    context_object_name = "offerings"
    paginate_by = 20

    def get_queryset(self):
        self.service_fields = list(selectors.service_field_list_with_offering_counts())
        self.filter_form = catalogue_filter_form(
            self.request.GET or None, service_fields=self.service_fields
        )
        filters = selectors.CatalogueFilters()
        if self.filter_form.is_bound:
            # A stale filter (an unknown code, an overlong query) is dropped with a notice.
            self.filter_form.is_valid()
            data = self.filter_form.cleaned_data
            filters = selectors.CatalogueFilters(
                query=data.get("q", ""), field=data.get("field", ""), street=data.get("street", "")
            )
        self.filters = filters
        return selectors.offering_list_public(filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            filters=self.filters,
            filters_ignored=self.filter_form.is_bound and bool(self.filter_form.errors),
            filter_query=query.urlencode(),
            service_fields=self.service_fields,
            can_review=self.request.user.has_perm("catalogue.review_offering"),
        )
        return context


class OfferingDetailView(PublicPageCacheMixin, _CatalogueNavMixin, DetailView):
    """``/services/<pk>/``: one published offering, its provider, their events and dates."""

    page_cache_namespaces = ("catalogue", "organisations", "events")

    template_name = "catalogue/offering_detail.html"
    context_object_name = "offering"

    def get_object(self, queryset=None):
        return selectors.offering_get_public(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = self.object
        context.update(
            contact=offering.public_contact(),
            provider_events=event_list_for_organiser(organisation=offering.organisation),
            next_offered=next_offered(offering),
            other_offerings=selectors.offering_list_other_by_provider(offering=offering),
        )
        return context


# --- An organisation's own ------------------------------------------------------------------


class _MyOfferingMixin(OrganisationRequiredMixin):
    """Org admins only; an offering from the URL must be their organisation's (else 404)."""

    org_admin_required = True

    def get_offering(self) -> ServiceOffering:
        return selectors.offering_get_for_organisation(
            organisation=self.organisation, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "my")
        return super().get_context_data(**kwargs)


class MyOfferingListView(_MyOfferingMixin, TemplateView):
    """``/my/services/``: the organisation's offerings, whatever their status."""

    template_name = "catalogue/my_offering_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offerings"] = selectors.offering_list_for_organisation(
            organisation=self.organisation
        )
        return context


class MyOfferingCreateView(_MyOfferingMixin, FormView):
    """``/my/services/new/``: a new draft."""

    template_name = "catalogue/my_offering_form.html"
    form_class = OfferingForm

    def get_initial(self):
        organisation = self.organisation
        return {
            "contact_person": organisation.contact_person,
            "contact_phone": organisation.contact_phone,
            "contact_email": organisation.contact_email,
        }

    def form_valid(self, form):
        try:
            offering = services.offering_create(
                organisation=self.organisation,
                details=form.cleaned_data,
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The draft was saved. Add photos, then submit it."))
        return redirect("catalogue:my-offering-update", pk=offering.pk)


class MyOfferingUpdateView(_MyOfferingMixin, FormView):
    """``/my/services/<pk>/``: change a draft; photos; submit or withdraw."""

    template_name = "catalogue/my_offering_form.html"
    form_class = OfferingForm

    def dispatch(self, request, *args, **kwargs):
        self.offering = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.offering = self.offering or self.get_offering()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.offering
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = self.offering
        context.update(
            offering=offering,
            can_edit=offering.is_editable_by_organisation,
            photo_form=PhotoForm() if len(offering.photos.all()) < MAX_PHOTOS else None,
            max_photos=MAX_PHOTOS,
        )
        return context

    def form_valid(self, form):
        try:
            services.offering_update(
                offering=self.offering, details=form.cleaned_data, acting_user=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your changes to “%(title)s” were saved.") % {"title": form.cleaned_data["title"]},
        )
        return redirect("catalogue:my-offering-update", pk=self.offering.pk)


class _MyOfferingActionView(_MyOfferingMixin, View):
    """POST-only; another organisation's offering is a 404, even to a GET."""

    def get(self, request, pk, **kwargs):
        self.get_offering()
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk, **kwargs):
        offering = self.get_offering()
        try:
            self.act(offering)
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect("catalogue:my-offering-update", pk=offering.pk)

    def act(self, offering: ServiceOffering) -> None:
        raise NotImplementedError


class MyOfferingSubmitView(_MyOfferingActionView):
    def act(self, offering):
        services.offering_submit(offering=offering, acting_user=self.request.user)
        messages.success(self.request, _("Submitted: the federation staff will review it."))


class MyOfferingWithdrawView(_MyOfferingActionView):
    def act(self, offering):
        services.offering_withdraw(offering=offering, acting_user=self.request.user)
        messages.success(self.request, _("Withdrawn from the catalogue. You can change it now."))


class MyPhotoAddView(_MyOfferingActionView):
    def act(self, offering):
        form = PhotoForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(self.request, " ".join(errors))
            return
        services.offering_photo_add(
            offering=offering,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            acting_user=self.request.user,
        )
        messages.success(self.request, _("The photo was added."))


class MyPhotoRemoveView(_MyOfferingMixin, View):
    def post(self, request, pk):
        photo = selectors.photo_get_for_organisation(organisation=self.organisation, pk=pk)
        try:
            services.offering_photo_remove(photo=photo, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The photo was removed."))
        return redirect("catalogue:my-offering-update", pk=photo.offering_id)


# --- Staff ------------------------------------------------------------------------------------


class _ReviewerMixin(PermissionRequiredMixin):
    permission_required = "catalogue.review_offering"


class ReviewListView(_ReviewerMixin, LenientPaginationMixin, ListView):
    """``/services/review/``: offerings awaiting review (or any status), and the handbook."""

    template_name = "catalogue/review_list.html"
    context_object_name = "offerings"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", ServiceOffering.Status.SUBMITTED)
        self.status = status if status in ServiceOffering.Status.values else ""
        return selectors.offering_list_for_review(status=self.status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(status=self.status, statuses=ServiceOffering.Status.choices)
        return context


class ReviewDetailView(_ReviewerMixin, FormView):
    """``/services/review/<pk>/``: read, edit, publish or return an offering."""

    template_name = "catalogue/review_detail.html"
    form_class = OfferingForm

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.offering = selectors.offering_get_for_review(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.offering
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            offering=self.offering, return_form=kwargs.get("return_form") or ReturnForm()
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "publish":
            return self._decide(
                lambda: services.offering_publish(offering=self.offering, acting_user=request.user),
                _("Published; the organisation was told."),
            )
        if action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(
                    self.get_context_data(
                        form=self.get_form_class()(instance=self.offering), return_form=form
                    )
                )
            return self._decide(
                lambda: services.offering_return(
                    offering=self.offering,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                ),
                _("Returned with your reason; the organisation was told."),
            )
        return super().post(request, *args, **kwargs)

    def _decide(self, call, success):
        try:
            call()
        except ValidationError as error:
            messages.error(self.request, error_text(error))
        else:
            messages.success(self.request, success)
        return redirect("catalogue:review-detail", pk=self.offering.pk)

    def form_valid(self, form):
        try:
            services.offering_update(
                offering=self.offering, details=form.cleaned_data, acting_user=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your edits to “%(title)s” were saved; its status is unchanged.")
            % {"title": form.cleaned_data["title"]},
        )
        return redirect("catalogue:review-detail", pk=self.offering.pk)


class HandbookPdfView(_ReviewerMixin, View):
    """``/services/handbook.pdf``: this year's 《百益宝藏》 from the public catalogue."""

    def get(self, request):
        from .handbook import handbook_pdf  # reportlab loads on first use

        year = timezone.localdate().year
        response = HttpResponse(handbook_pdf(year=year), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="baiyibaozang-{year}.pdf"'
        return response


class HandbookXlsxView(_ReviewerMixin, View):
    """``/services/handbook.xlsx``: the same list as a spreadsheet."""

    def get(self, request):
        from .handbook import handbook_xlsx  # reportlab loads on first use

        year = timezone.localdate().year
        response = HttpResponse(handbook_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="baiyibaozang-{year}.xlsx"'
        return response
