"""Back office: service kinds and series are edited here; the rest is read-only
(booth decisions, records and cancellations go through the caravan pages' services)."""

from django.contrib import admin

from .models import (
    BoothApplication,
    Caravan,
    Qualification,
    Series,
    SeriesBooth,
    SeriesPost,
    ServiceKind,
    ServiceRecord,
)


class _StaffOnly:
    """Every caravan admin asks the app's own permission, never ``is_staff`` alone."""

    def has_module_permission(self, request):
        return request.user.has_perm("caravan.manage_caravan")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("caravan.manage_caravan")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("caravan.manage_caravan")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("caravan.manage_caravan")

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly(_StaffOnly):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceKind)
class ServiceKindAdmin(_StaffOnly, admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "qualification", "is_sale", "position", "is_active"]
    list_editable = ["position", "is_active"]


class SeriesBoothInline(_StaffOnly, admin.TabularInline):
    model = SeriesBooth
    extra = 1

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("caravan.manage_caravan")


class SeriesPostInline(SeriesBoothInline):
    model = SeriesPost


@admin.register(Series)
class SeriesAdmin(_StaffOnly, admin.ModelAdmin):
    list_display = ["title", "weekday", "week_of_month", "starts_at_time", "street", "is_active"]
    inlines = [SeriesBoothInline, SeriesPostInline]


@admin.register(Caravan)
class CaravanAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["held_on", "event", "scheduled_on", "moved_reason", "is_calendar_checked"]
    list_select_related = ["event"]
    date_hierarchy = "held_on"


@admin.register(BoothApplication)
class BoothApplicationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["slot", "organisation", "status", "applied_at"]
    list_filter = ["status"]
    list_select_related = ["slot__caravan__event", "slot__service_kind", "organisation"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["held_on", "service_kind", "organisation", "people_served", "source"]
    list_filter = ["source", "service_kind"]
    list_select_related = ["service_kind", "organisation"]
    date_hierarchy = "held_on"


@admin.register(Qualification)
class QualificationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["participant", "kind", "number", "issuer", "expires_on"]
    list_filter = ["kind"]
    list_select_related = ["participant"]
