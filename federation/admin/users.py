"""People and reference data: users, streets, service fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..group_guards import group_membership_check, guarded_group_names
from ..models import (
    ServiceField,
    Street,
    User,
)


class GuardedGroupsUserChangeForm(UserChangeForm):
    """The user change form, refusing group changes that the owning service refuses.

    Groups registered in ``federation.group_guards`` (the fund roles) are checked
    with their service's own check, so the message and code are the service's.
    """

    acting_user = None  # set per request by UserAdmin.get_form

    def clean(self):
        cleaned_data = super().clean()
        if "groups" not in cleaned_data:
            return cleaned_data
        is_staff = cleaned_data.get("is_staff", self.instance.is_staff)
        before = (
            set(self.instance.groups.values_list("name", flat=True)) if self.instance.pk else set()
        )
        after = {group.name for group in cleaned_data["groups"]}
        staff_removed = self.instance.is_staff and not is_staff
        to_check = (after - before) | (after & before if staff_removed else set())
        for name in sorted(to_check & guarded_group_names()):
            try:
                group_membership_check(
                    user=self.instance,
                    group_name=name,
                    acting_user=self.acting_user,
                    is_staff=is_staff,
                )
            except ValidationError as error:
                self.add_error("groups", error)
                break
        return cleaned_data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = GuardedGroupsUserChangeForm
    ordering = ["email"]
    list_display = ["name", "email", "is_staff", "is_active", "language", "date_joined"]
    list_display_links = ["name", "email"]
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if issubclass(form, GuardedGroupsUserChangeForm):
            form = type(form.__name__, (form,), {"acting_user": request.user})
        return form


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
