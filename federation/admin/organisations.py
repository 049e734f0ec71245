"""Organisations: the register, its lifecycle actions and the spreadsheet import."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from core.admin import ReadOnlyAdminMixin, ServiceSavedAdminMixin
from core.tabular_admin import ImportTemplateMixin, TabularImportMixin

from .. import selectors, services
from ..forms import MembershipActionForm, OrganisationAdminForm
from ..models import (
    AnnualInspection,
    MembershipEvent,
    Organisation,
    OrganisationChangeRequest,
    OrganisationMember,
)
from ..resources import (
    MAX_IMPORT_BYTES,
    OrganisationResource,
    import_error_list,
    import_template_dataset,
)

# --- Organisations ---------------------------------------------------------------


class AllianceListFilter(admin.SimpleListFilter):
    """Active members of one alliance (offered once the alliances app exists)."""

    title = _("alliance")
    parameter_name = "alliance"

    def lookups(self, request, model_admin):
        return [(alliance.code, alliance.name) for alliance in selectors.alliance_list_for_filter()]

    def queryset(self, request, queryset):
        if self.value() and selectors.alliance_list_for_filter():
            return queryset.filter(
                alliance_memberships__alliance__code=self.value(),
                alliance_memberships__status=selectors.ACTIVE_ALLIANCE_STATUS,
            )
        return queryset


class OrganisationImportForm(ImportForm):
    """The import form with a file size limit."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB can be imported."),
                code="import_file_too_large",
                params={
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": MAX_IMPORT_BYTES // 1024 // 1024,
                },
            )
        return upload


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class OrganisationMemberInline(_ReadOnlyInline):
    model = OrganisationMember
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("people (org admins and members)")


class MembershipEventInline(_ReadOnlyInline):
    model = MembershipEvent
    fields = ["created_at", "from_status", "to_status", "reason", "acting_user"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


class AnnualInspectionInline(_ReadOnlyInline):
    model = AnnualInspection
    fields = ["year", "status", "submitted_at", "reviewed_by", "reviewed_at", "note"]
    readonly_fields = fields


class ChangeRequestInline(_ReadOnlyInline):
    model = OrganisationChangeRequest
    fields = ["created_at", "credit_code", "legal_form", "status", "requested_by", "decided_by"]
    readonly_fields = fields


def _lifecycle_action(service, *, title, reason_required: bool, accept_warning: bool = False):
    """An admin action that asks for a reason on an intermediate page, then calls ``service``."""

    def action(modeladmin, request, queryset):
        form = MembershipActionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            if reason_required and not reason.strip():
                form.add_error("reason", _("Give a reason."))
            else:
                done = 0
                for organisation in queryset:
                    kwargs = {"organisation": organisation, "reason": reason}
                    if accept_warning:
                        kwargs["accept_credit_code_warning"] = form.cleaned_data[
                            "accept_credit_code_warning"
                        ]
                    try:
                        service(**kwargs, acting_user=request.user)
                    except ValidationError as error:
                        modeladmin.message_user(
                            request,
                            f"{organisation}: {' '.join(error.messages)}",
                            messages.ERROR,
                        )
                    else:
                        done += 1
                if done:
                    modeladmin.message_user(
                        request,
                        ngettext(
                            "%(count)d organisation changed.",
                            "%(count)d organisations changed.",
                            done,
                        )
                        % {"count": done},
                        messages.SUCCESS,
                    )
                return None
        if not accept_warning:
            del form.fields["accept_credit_code_warning"]
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "organisations": queryset,
            "action_name": request.POST.get("action"),
            "opts": modeladmin.model._meta,
            "reason_required": reason_required,
        }
        return TemplateResponse(request, "federation/admin/membership_action.html", context)

    return action


@admin.register(Organisation)
class OrganisationAdmin(
    ImportTemplateMixin, TabularImportMixin, ServiceSavedAdminMixin, ImportExportModelAdmin
):
    form = OrganisationAdminForm
    blank_template = staticmethod(import_template_dataset)
    blank_template_filename = "organisations-template"
    import_problem_list = staticmethod(import_error_list)
    resource_classes = [OrganisationResource]
    formats = [XLSX, CSV]
    import_form_class = OrganisationImportForm
    import_template_name = "federation/admin/organisation_import.html"
    list_display = [
        "name",
        "short_name",
        "credit_code",
        "legal_form",
        "street",
        "status",
        "rating",
        "party_organisation",
        "joined_on",
    ]
    list_filter = [
        "status",
        "street",
        "legal_form",
        AllianceListFilter,
        "rating",
        "party_organisation",
        "is_charity",
        "registration_status",
    ]
    list_select_related = ["street"]
    search_fields = ["name", "short_name", "name_en", "credit_code", "pinyin_search"]
    readonly_fields = [
        "status",
        "slug",
        "credit_code_warning_accepted",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["name", "short_name", "name_en", "slug", "status", "joined_on"]},
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "legal_form",
                    "credit_code",
                    "credit_code_warning_accepted",
                    "accept_credit_code_warning",
                    "registration_status",
                    "registration_authority",
                    "supervising_unit",
                    "legal_representative",
                    "established_on",
                    ("certificate_valid_from", "certificate_valid_to"),
                    "domicile",
                    "street",
                    "business_scope",
                ]
            },
        ),
        (
            _("Charity, rating and Party building"),
            {
                "fields": [
                    ("is_charity", "has_public_fundraising"),
                    ("rating", "rating_year"),
                    ("party_organisation", "party_member_count"),
                ]
            },
        ),
        (
            _("Public profile and contact"),
            {
                "fields": [
                    "service_fields",
                    "description",
                    "logo",
                    "website",
                    "contact_person",
                    "contact_phone",
                    "contact_email",
                    "show_contact_publicly",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    filter_horizontal = ["service_fields"]
    inlines = [
        MembershipEventInline,
        OrganisationMemberInline,
        AnnualInspectionInline,
        ChangeRequestInline,
    ]
    actions = ["approve", "reject", "suspend", "lapse", "reinstate"]

    approve = admin.action(
        description=_("Approve the membership application"), permissions=["change"]
    )(
        _lifecycle_action(
            services.organisation_approve,
            title=_("Approve the membership application"),
            reason_required=False,
            accept_warning=True,
        )
    )
    reject = admin.action(
        description=_("Reject the membership application (with a reason)"), permissions=["change"]
    )(
        _lifecycle_action(
            services.organisation_reject,
            title=_("Reject the membership application"),
            reason_required=True,
        )
    )
    suspend = admin.action(
        description=_("Suspend the membership (with a reason)"), permissions=["change"]
    )(
        _lifecycle_action(
            services.organisation_suspend,
            title=_("Suspend the membership"),
            reason_required=True,
        )
    )
    lapse = admin.action(
        description=_("Record the membership as lapsed (with a reason)"), permissions=["change"]
    )(
        _lifecycle_action(
            services.organisation_lapse,
            title=_("Record the membership as lapsed"),
            reason_required=True,
        )
    )
    reinstate = admin.action(
        description=_("Reinstate as an active member (with a reason)"), permissions=["change"]
    )(
        _lifecycle_action(
            services.organisation_reinstate,
            title=_("Reinstate as an active member"),
            reason_required=True,
        )
    )

    def has_delete_permission(self, request, obj=None):
        return False  # membership ends through the lifecycle; the record stays

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        details = {
            key: form.cleaned_data[key]
            for key in services.DETAIL_FIELDS
            if key in form.cleaned_data
        }
        accept = form.cleaned_data.get("accept_credit_code_warning", False)
        if change:
            organisation = services.organisation_update(
                organisation=obj,
                details=details,
                service_fields=form.cleaned_data.get("service_fields"),
                accept_credit_code_warning=accept,
                acting_user=request.user,
            )
        else:
            organisation = services.organisation_register(
                details=details,
                service_fields=form.cleaned_data.get("service_fields") or [],
                accept_credit_code_warning=accept,
                acting_user=request.user,
            )
        obj.pk = obj.id = organisation.pk
        obj.slug = organisation.slug
        obj.status = organisation.status

    def save_related(self, request, form, formsets, change):
        # The service fields were written by the service; the inlines are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
