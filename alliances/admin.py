from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from core.admin import ServiceActionAdminMixin, ServiceOwnedAdminMixin, ServiceSavedAdminMixin
from core.forms import error_text
from core.tabular_admin import TabularCSV, TabularImportMixin, TabularXLSX
from federation.models import Organisation, User

from . import services
from .models import Alliance, AllianceMembership, AllianceMembershipChange
from .resources import AllianceMembershipResource


@admin.register(Alliance)
class AllianceAdmin(ServiceOwnedAdminMixin, ServiceSavedAdminMixin, admin.ModelAdmin):
    list_display = ["position", "code", "name_zh", "name_en", "lead_organisation", "secretary"]
    list_display_links = ["code"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["secretary"]
    raw_id_fields = ["lead_organisation"]
    readonly_fields = ["code"]
    list_select_related = ["lead_organisation", "secretary"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_organisation":
            kwargs["queryset"] = Organisation.objects.active()
        if db_field.name == "secretary":
            # Refused in the form, not after "saved": the service would refuse it too.
            kwargs["queryset"] = User.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {
            field: form.cleaned_data[field]
            for field in services.ALLIANCE_EDITABLE_FIELDS
            if field in form.cleaned_data
        }
        try:
            services.alliance_update(alliance=obj, data=data, acting_user=request.user)
        except ValidationError as exc:
            # The form already passed; report the rule the service enforced.
            self.message_user(request, error_text(exc), messages.ERROR)


class AllianceMembershipChangeInline(admin.TabularInline):
    model = AllianceMembershipChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AllianceMembership)
class AllianceMembershipAdmin(
    ServiceActionAdminMixin,
    ServiceOwnedAdminMixin,
    TabularImportMixin,
    ImportExportMixin,
    admin.ModelAdmin,
):
    """Read-only record; decisions through actions (services), bulk adds by import."""

    resource_classes = [AllianceMembershipResource]
    import_formats = [TabularCSV, TabularXLSX]  # core.tabular: encodings, title rows, NFKC
    export_formats = [base_formats.CSV, base_formats.XLSX]
    list_display = ["organisation", "alliance", "status", "created_at", "joined_at", "left_at"]
    list_filter = ["alliance", "status"]
    search_fields = ["organisation__name", "organisation__short_name"]
    list_select_related = ["organisation", "alliance"]
    readonly_fields = [
        "organisation",
        "alliance",
        "status",
        "applied_by",
        "note",
        "decided_by",
        "decided_at",
        "decision_reason",
        "joined_at",
        "left_at",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [AllianceMembershipChangeInline]
    actions = ["approve_selected"]

    @admin.action(
        description=_("Approve the selected pending applications"), permissions=["change"]
    )
    def approve_selected(self, request, queryset):
        self.each_row(
            request,
            queryset.select_related("organisation", "alliance"),
            lambda membership: services.alliance_membership_approve(
                membership=membership, acting_user=request.user
            ),
            gettext("%(count)d application(s) approved."),
            label=lambda membership: membership.organisation,
            refused_level=messages.WARNING,
        )
