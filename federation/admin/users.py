"""People and reference data: users, streets, service fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ..models import (
    ServiceField,
    Street,
    User,
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
