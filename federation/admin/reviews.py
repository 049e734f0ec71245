"""Annual inspections and organisations' change requests."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import services
from ..admin_mixins import ServiceSavedAdminMixin
from ..forms import AnnualInspectionAdminForm, MembershipActionForm
from ..models import (
    AnnualInspection,
    OrganisationChangeRequest,
)


@admin.register(AnnualInspection)
class AnnualInspectionAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    form = AnnualInspectionAdminForm
    list_display = ["organisation", "year", "status", "submitted_at", "reviewed_by", "reviewed_at"]
    list_filter = ["year", "status", "organisation__legal_form", "organisation__street"]
    list_select_related = ["organisation", "reviewed_by"]
    search_fields = ["organisation__name", "organisation__short_name", "organisation__credit_code"]
    autocomplete_fields = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        return ["organisation", "year"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.annual_inspection_record(
            organisation=obj.organisation,
            year=obj.year,
            status=form.cleaned_data["status"],
            note=form.cleaned_data.get("note", ""),
            acting_user=request.user,
        )
        obj.pk = obj.id = saved.pk


@admin.register(OrganisationChangeRequest)
class OrganisationChangeRequestAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "credit_code",
        "legal_form",
        "status",
        "created_at",
        "requested_by",
    ]
    list_filter = ["status"]
    list_select_related = ["organisation", "requested_by"]
    readonly_fields = [
        "organisation",
        "credit_code",
        "legal_form",
        "status",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the change"), permissions=["change"])
    def approve(self, request, queryset):
        form = MembershipActionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for change_request in queryset:
                try:
                    services.organisation_change_request_approve(
                        change_request=change_request,
                        accept_credit_code_warning=form.cleaned_data["accept_credit_code_warning"],
                        acting_user=request.user,
                    )
                except ValidationError as error:
                    self.message_user(
                        request, f"{change_request}: {' '.join(error.messages)}", messages.ERROR
                    )
            return None
        return self._ask(request, queryset, form, _("Approve the change"))

    @admin.action(description=_("Reject the change (with a reason)"), permissions=["change"])
    def reject(self, request, queryset):
        form = MembershipActionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for change_request in queryset:
                try:
                    services.organisation_change_request_reject(
                        change_request=change_request,
                        reason=form.cleaned_data["reason"],
                        acting_user=request.user,
                    )
                except ValidationError as error:
                    self.message_user(
                        request, f"{change_request}: {' '.join(error.messages)}", messages.ERROR
                    )
            return None
        del form.fields["accept_credit_code_warning"]
        return self._ask(request, queryset, form, _("Reject the change"))

    def _ask(self, request, queryset, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "organisations": queryset,
            "action_name": request.POST.get("action"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "federation/admin/membership_action.html", context)
