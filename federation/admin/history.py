"""Membership history and invitations."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import (
    Invitation,
    MembershipEvent,
)


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
