"""The back office for the kernel. Every write with a rule goes through the services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from core.tabular_admin import TabularImportMixin

from . import selectors, services
from .admin_mixins import ServiceSavedAdminMixin
from .forms import AnnualInspectionAdminForm, MembershipActionForm, OrganisationAdminForm
from .models import (
    AnnualInspection,
    Invitation,
    MembershipEvent,
    Organisation,
    OrganisationChangeRequest,
    OrganisationMember,
    ServiceField,
    Street,
    User,
)
from .resources import (
    MAX_IMPORT_BYTES,
    OrganisationResource,
    import_error_list,
    import_template_dataset,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "language", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "groups"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "old_district"]
    list_filter = ["kind", "old_district"]
    search_fields = ["code", "name_zh", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False  # reference data: organisations point at these rows


@admin.register(ServiceField)
class ServiceFieldAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name_zh", "name_en"]
    list_display_links = ["code"]
    search_fields = ["code", "name_zh", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False


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


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class OrganisationAdmin(TabularImportMixin, ServiceSavedAdminMixin, ImportExportModelAdmin):
    form = OrganisationAdminForm
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

    # --- Import: template download and readable error list -----------------------

    def get_urls(self):
        urls = [
            path(
                "import-template/<str:file_format>/",
                self.admin_site.admin_view(self.import_template_view),
                name="federation_organisation_import_template",
            )
        ]
        return urls + super().get_urls()

    def import_template_view(self, request, file_format):
        if not self.has_import_permission(request):
            raise PermissionDenied
        dataset = import_template_dataset()
        if file_format == "csv":
            content = "\ufeff" + dataset.export("csv")  # the BOM lets Excel read UTF-8
            content_type = "text/csv; charset=utf-8"
        elif file_format == "xlsx":
            content = dataset.export("xlsx")
            content_type = XLSX.CONTENT_TYPE
        else:
            raise Http404
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="organisations-template.{file_format}"'
        )
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if result is not None:
            response.context_data["import_problems"] = import_error_list(result)
        return response


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


@admin.register(MembershipEvent)
class MembershipEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "from_status", "to_status", "acting_user"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["organisation", "acting_user"]
    search_fields = ["organisation__name", "reason"]
    readonly_fields = [
        "organisation",
        "from_status",
        "to_status",
        "reason",
        "acting_user",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "status", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "status",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_by",
        "accepted_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request) -> bool:
        # Invitations are read-only here; who may manage organisations may revoke.
        return request.user.has_perm("federation.change_organisation")

    @admin.action(description=_("Revoke the invitation"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for invitation in queryset:
            try:
                services.invitation_revoke(invitation=invitation, acting_user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{invitation}: {' '.join(error.messages)}", messages.ERROR
                )
