"""The catalogue's back office: staff edit any offering and import or export the list.

Every write goes through the services; publishing and returning are on the
staff review page (``/services/review/``), where the reason is asked for.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from core.admin import ServiceSavedAdminMixin
from core.tabular_admin import ImportTemplateMixin, TabularImportMixin
from federation.resources import MAX_IMPORT_BYTES

from . import services
from .models import ServiceOffering, ServiceOfferingPhoto
from .resources import ServiceOfferingResource, import_error_list, import_template_dataset


class OfferingImportForm(ImportForm):
    """The import form with the registry's file size limit."""

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


class PhotoInline(admin.TabularInline):
    model = ServiceOfferingPhoto
    extra = 0
    fields = ["image", "caption", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(
    ImportTemplateMixin, TabularImportMixin, ServiceSavedAdminMixin, ImportExportModelAdmin
):
    resource_classes = [ServiceOfferingResource]
    blank_template = staticmethod(import_template_dataset)
    blank_template_filename = "service-offerings-template"
    import_problem_list = staticmethod(import_error_list)
    formats = [XLSX, CSV]
    import_form_class = OfferingImportForm
    import_template_name = "catalogue/admin/offering_import.html"
    list_display = ["title", "organisation", "field", "status", "submitted_at", "published_at"]
    list_filter = ["status", "field", "organisation__street"]
    list_select_related = ["organisation", "field"]
    search_fields = ["title", "summary", "pinyin_search", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "status",
        "return_reason",
        "submitted_at",
        "published_at",
        "reviewed_by",
        "created_at",
        "updated_at",
    ]
    fields = ["organisation", *services.DETAIL_FIELDS, *readonly_fields]
    inlines = [PhotoInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "organisation"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("catalogue.review_offering")

    def has_add_permission(self, request):
        return request.user.has_perm("catalogue.review_offering")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalogue.review_offering")

    def has_module_permission(self, request):
        return request.user.has_perm("catalogue.review_offering")

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn, never deleted

    def has_import_permission(self, request):
        return request.user.has_perm("catalogue.review_offering")

    def has_export_permission(self, request):
        return request.user.has_perm("catalogue.review_offering")

    def save_model(self, request, obj, form, change):
        details = {key: form.cleaned_data[key] for key in services.DETAIL_FIELDS}
        if change:
            offering = services.offering_update(
                offering=obj, details=details, acting_user=request.user
            )
        else:
            offering = services.offering_create(
                organisation=form.cleaned_data["organisation"],
                details=details,
                acting_user=request.user,
            )
        obj.pk = obj.id = offering.pk

    def save_related(self, request, form, formsets, change):
        """Photos are added on the organisation's page; the inline only shows them."""
