"""Back office: editions (past ones entered here), award types, rounds, nominations, awards.

Walk-ins are counted on the phone page, nominations decided on
``/honours/nominations/`` or with the actions here, awards revoked with an
action; every write with a rule goes through :mod:`festival.services`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from federation.admin_mixins import ServiceSavedAdminMixin

from . import services
from .models import Award, AwardType, Edition, HonourRound, Nomination, WalkInCount


class HonoursPermissionMixin:
    def has_module_permission(self, request):
        return request.user.has_perm("festival.manage_honours")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("festival.manage_honours")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("festival.manage_honours")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("festival.manage_honours")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(HonoursPermissionMixin, admin.ModelAdmin):
    list_display = ["number", "year", "theme", "recorded_count", "is_demo_figure", "event"]
    list_select_related = ["event"]
    autocomplete_fields = ["partners"]
    raw_id_fields = ["event"]


@admin.register(WalkInCount)
class WalkInCountAdmin(HonoursPermissionMixin, admin.ModelAdmin):
    list_display = ["activity", "count", "updated_at"]
    list_select_related = ["activity"]
    readonly_fields = ["activity", "count", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AwardType)
class AwardTypeAdmin(HonoursPermissionMixin, admin.ModelAdmin):
    list_display = ["code", "name", "recipient"]


@admin.register(HonourRound)
class HonourRoundAdmin(HonoursPermissionMixin, admin.ModelAdmin):
    list_display = ["title", "award_type", "year", "status", "nominations_close_on"]
    list_filter = ["status", "award_type"]


class StaffNominationForm(forms.ModelForm):
    class Meta:
        model = Nomination
        fields = ["round", "nominee_name", "nominee_organisation", "reason"]

    def clean(self):
        data = super().clean()
        round = data.get("round")
        if round is None:
            return data
        if round.award_type.recipient == AwardType.Recipient.ORGANISATION:
            if not data.get("nominee_organisation"):
                self.add_error("nominee_organisation", _("Name the organisation."))
        elif not (data.get("nominee_name") or "").strip():
            self.add_error("nominee_name", _("Name the nominee and give a reason."))
        return data


@admin.register(Nomination)
class NominationAdmin(ServiceSavedAdminMixin, HonoursPermissionMixin, admin.ModelAdmin):
    """Staff nominate anyone here (a person by name, or an organisation); decide with actions."""

    list_display = ["nominee_name", "round", "nominated_by_organisation", "status", "created_at"]
    list_filter = ["status", "round"]
    list_select_related = ["round", "nominated_by_organisation"]
    search_fields = ["nominee_name"]
    autocomplete_fields = ["nominee_organisation"]
    actions = ["accept", "decline"]
    add_fields = ["round", "nominee_name", "nominee_organisation", "reason"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [field.name for field in self.model._meta.fields if field.name != "id"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffNominationForm
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["round"].queryset = HonourRound.objects.filter(
                status=HonourRound.Status.OPEN
            )
            form.base_fields["nominee_name"].required = False
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = services.nomination_create(
            round=obj.round,
            reason=obj.reason,
            nominee_name=obj.nominee_name,
            nominee_organisation=obj.nominee_organisation,
            acting_user=request.user,
        )
        obj.pk, obj.nominee_name, obj.created_at = (
            created.pk,
            created.nominee_name,
            created.created_at,
        )

    def _decide(self, request, queryset, accept: bool):
        done = 0
        for nomination in queryset.order_by("pk"):
            try:
                services.nomination_decide(
                    nomination=nomination, accept=accept, acting_user=request.user
                )
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{nomination}: {'; '.join(error.messages)}", messages.WARNING
                )
        self.message_user(request, _("%(count)s nomination(s) decided.") % {"count": done})

    @admin.action(description=_("Accept and award"))
    def accept(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline"))
    def decline(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(Award)
class AwardAdmin(HonoursPermissionMixin, admin.ModelAdmin):
    list_display = ["number", "recipient_name", "award_type", "year", "revoked_at"]
    list_filter = ["award_type", "year"]
    search_fields = ["number", "recipient_name"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke (reason: “revoked by staff decision”)"))
    def revoke(self, request, queryset):
        for award in queryset.filter(revoked_at__isnull=True).order_by("pk"):
            services.award_revoke(
                award=award, reason=str(_("Revoked by staff decision.")), acting_user=request.user
            )
        self.message_user(request, _("Revoked."))
