"""Back office for the fund's partners: fund managers edit them through ``services.partners``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from core.admin import ServiceSavedAdminMixin

from .models import Partner
from .services import partners as services


@admin.register(Partner)
class PartnerAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "donor", "since_year", "position", "is_shown"]
    list_filter = ["kind", "is_shown"]
    search_fields = ["name", "story"]
    raw_id_fields = ["donor"]
    fields = list(services.PARTNER_FIELDS)

    def _manager(self, request) -> bool:
        return request.user.has_perm("funds.manage_fund")

    def has_module_permission(self, request):
        return self._manager(request) or request.user.has_perm("funds.view_ledger")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self._manager(request)

    def has_change_permission(self, request, obj=None):
        return self._manager(request)

    def has_delete_permission(self, request, obj=None):
        return False  # hide it instead (is_shown), so past pages stay explainable

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.PARTNER_FIELDS}
        try:
            if change:
                saved = services.partner_update(partner=obj, acting_user=request.user, **fields)
            else:
                saved = services.partner_create(acting_user=request.user, **fields)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk, obj.slug = saved.pk, saved.slug
