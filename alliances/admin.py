from django.contrib import admin

from .models import Alliance


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name_zh", "name_en", "lead_organisation", "secretary"]
    list_display_links = ["code"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["secretary"]
    raw_id_fields = ["lead_organisation"]

    def has_delete_permission(self, request, obj=None):
        return False  # the seven alliances are reference data
