"""Back office for the street hubs: contact, the approval setting, staff, recommendations.

Staff are added and removed through ``federation.services.hub_staff_*`` (one person,
one hub); recommendations are read-only here: hubs give them, federation staff read them.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from federation.admin_mixins import ServiceSavedAdminMixin
from federation.models import HubRecommendation, HubStaff, StreetHub
from federation.services import hub_settings_update, hub_staff_add, hub_staff_remove
from federation.services.hubs import HUB_SETTINGS_FIELDS


class HubStaffInline(admin.TabularInline):
    model = HubStaff
    extra = 0
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StreetHub)
class StreetHubAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "street", "events_need_approval", "contact_phone")
    list_filter = ("events_need_approval", "street__old_district")
    search_fields = ("name", "street__name_zh", "street__code")
    fields = (
        "street",
        "name",
        "address",
        "contact_person",
        "contact_phone",
        "contact_email",
        "description",
        "events_need_approval",
        "staff_email",
    )
    readonly_fields = ("street",)
    inlines = [HubStaffInline]

    def save_formset(self, request, form, formset, change):
        # Removing a staff member goes through the service like adding one.
        formset.save(commit=False)
        for staff in formset.deleted_objects:
            hub_staff_remove(hub=staff.hub, user=staff.user, acting_user=request.user)

    def has_add_permission(self, request):
        # One hub per street, created with the street (migration federation/0008).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("federation.review_hub_work")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("federation.review_hub_work")

    def has_module_permission(self, request):
        return request.user.has_perm("federation.review_hub_work")

    def get_form(self, request, obj=None, change=False, **kwargs):
        from django import forms

        from federation.models import User

        form = super().get_form(request, obj, change, **{**kwargs, "fields": None})

        class WithStaff(form):
            staff_email = forms.EmailField(
                label=_("add a staff member (e-mail of an existing account)"), required=False
            )

            def clean_staff_email(self):
                email = (self.cleaned_data.get("staff_email") or "").lower()
                if not email:
                    return None
                user = User.objects.filter(email=email).first()
                if user is None:
                    raise forms.ValidationError(_("No account with this e-mail address."))
                return user

        return WithStaff

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in HUB_SETTINGS_FIELDS}
        hub_settings_update(hub=obj, acting_user=request.user, **fields)
        user = form.cleaned_data.get("staff_email")
        if user is not None:
            try:
                hub_staff_add(hub=obj, user=user, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))


@admin.register(HubRecommendation)
class HubRecommendationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "hub", "verdict", "recommended_by", "recommended_at")
    list_filter = ("verdict", "hub")
    search_fields = ("organisation__name",)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("federation.review_hub_work")

    def has_module_permission(self, request):
        return request.user.has_perm("federation.review_hub_work")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
