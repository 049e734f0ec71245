"""Back office: volunteers (merge by staff), certificates (revoke), requests. Read-only rows."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CertificateRequest, ServiceCertificate, Volunteer, VolunteerLink


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("volunteers.manage_volunteers")

    def has_module_permission(self, request):
        return request.user.has_perm("volunteers.manage_volunteers")


class LinkInline(admin.TabularInline):
    model = VolunteerLink
    fields = ["participant", "method", "linked_at", "linked_by"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ["name", "masked_mobile", "mobile_verified_at", "created_at"]
    search_fields = ["name"]
    fields = ["name", "masked_mobile", "mobile_verified_at", "created_at"]
    readonly_fields = fields
    inlines = [LinkInline]
    actions = ["merge"]

    @admin.action(description=_("Merge the selected volunteers into the oldest (one person)"))
    def merge(self, request, queryset):
        volunteers = list(queryset.order_by("pk"))
        if len(volunteers) < 2:
            self.message_user(request, _("Select at least two volunteers."), messages.WARNING)
            return
        target = volunteers[0]
        for source in volunteers[1:]:
            try:
                target = services.volunteer_merge(
                    target=target, source=source, acting_user=request.user
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return
        self.message_user(request, _("Merged into %(name)s.") % {"name": target.name})


@admin.register(ServiceCertificate)
class ServiceCertificateAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "volunteer_name",
        "issuer_name",
        "total_hours",
        "issued_on",
        "revoked_at",
    ]
    list_filter = ["year"]
    search_fields = ["number", "volunteer_name"]
    exclude = ["lines"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "lines"]


@admin.register(CertificateRequest)
class CertificateRequestAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "period_from", "period_to", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [
        "volunteer",
        "period_from",
        "period_to",
        "status",
        "certificate",
        "created_at",
    ]
