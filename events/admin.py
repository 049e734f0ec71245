"""Back office for events: every write goes through ``events.services``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import (
    ReadOnlyAdminMixin,
    ServiceActionAdminMixin,
    ServiceOwnedAdminMixin,
    ServiceSavedAdminMixin,
)
from core.forms import error_text
from core.spreadsheets import XLSX_CONTENT_TYPE

from . import selectors, services
from .check_in_codes import check_in_code_normalise
from .forms import EventCancelForm
from .models import Event, Participant, Registration
from .resources import attendance_xlsx, personal_data_xlsx, sign_in_sheet_xlsx
from .services.retention import anonymise_participants, anonymise_visitor_registrations


def personal_data_xlsx_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.xlsx"'
    return response


class RegistrationInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Read-only: registrations change through the services (seats, waiting list, mail)."""

    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "name",
        "organisation",
        "masked_mobile",
        "status",
        "seat",
        "created_at",
        "checked_in_at",
        "hours",
        "hours_corrected",
    ]
    readonly_fields = fields
    ordering = ["status", "created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")

    @admin.display(description=gettext_lazy("mobile"))
    def masked_mobile(self, obj):
        return obj.masked_mobile


class EventAdminForm(forms.ModelForm):
    """Shows the services' refusals as form errors instead of failing on save."""

    acting_user = None

    class Meta:
        model = Event
        fields = list(services.EVENT_EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave blank to make one from the date and title.")

    def clean(self):
        cleaned = super().clean()
        try:
            services.event_capacity_check(event=self.instance, capacity=cleaned.get("capacity"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        try:
            services.event_check_rules(self.instance, self.acting_user)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Event)
class EventAdmin(ServiceActionAdminMixin, ServiceSavedAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "status",
        "organiser",
        "audience",
        "places",
    ]
    list_filter = ["kind", "status", "audience", "alliance", "street", "visitor_signup"]
    search_fields = ["title", "slug", "venue_name", "address"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    prepopulated_fields: dict = {}
    raw_id_fields = ["organisation", "parent"]
    readonly_fields = [
        "status",
        "cancelled_reason",
        "cancelled_at",
        "created_by",
        "created_at",
        "review_state",
        "review_reason",
    ]
    inlines = [RegistrationInline]
    actions = [
        "publish",
        "complete",
        "cancel",
        "mark_no_shows",
        "export_sign_in_sheet",
        "export_attendance",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "description", "cover_image"]}),
        (
            gettext_lazy("when and where"),
            {"fields": ["starts_at", "ends_at", "venue_name", "address", "street"]},
        ),
        (gettext_lazy("organiser"), {"fields": ["alliance", "organisation", "parent"]}),
        (
            gettext_lazy("registration"),
            {
                "fields": [
                    "audience",
                    "is_alliance_only",
                    "visitor_signup",
                    "capacity",
                    "per_organisation_limit",
                    "registration_opens_at",
                    "registration_closes_at",
                    "waitlist_enabled",
                ]
            },
        ),
        (
            gettext_lazy("status"),
            {
                "fields": [
                    "status",
                    "cancelled_reason",
                    "cancelled_at",
                    "created_by",
                    "created_at",
                    "review_state",
                    "review_reason",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("alliance", "organisation")
            .annotate(
                taken_count=Count(
                    "registrations",
                    filter=Q(registrations__status__in=Registration.SEAT_STATUSES),
                )
            )
        )

    @admin.display(description=gettext_lazy("organiser"))
    def organiser(self, obj):
        return obj.organiser_name

    @admin.display(description=gettext_lazy("places taken"))
    def places(self, obj):
        taken = getattr(obj, "taken_count", None)
        return f"{taken} / {obj.capacity}" if obj.capacity else f"{taken}"

    form = EventAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def has_delete_permission(self, request, obj=None):
        # Only a draft without registrations may disappear; the rest is history.
        if obj is None:
            return False
        return obj.status == Event.Status.DRAFT and not obj.registrations.exists()

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in services.EVENT_EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        try:
            if change:
                saved = services.event_update(event=obj, acting_user=request.user, **fields)
            else:
                saved = services.event_create(acting_user=request.user, **fields)
        except ValidationError as error:
            # The form checked the same rules; a race between the two lands here.
            self.message_user(request, error_text(error), messages.ERROR)
            return
        obj.pk, obj.slug, obj.status = saved.pk, saved.slug, saved.status

    @admin.action(description=gettext_lazy("Publish selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self.each_row(
            request,
            queryset,
            lambda event: services.event_publish(event=event, acting_user=request.user),
            _("%(count)s events published."),
        )

    @admin.action(
        description=gettext_lazy("Mark selected events completed"), permissions=["change"]
    )
    def complete(self, request, queryset):
        self.each_row(
            request,
            queryset,
            lambda event: services.event_complete(event=event, acting_user=request.user),
            _("%(count)s events completed."),
        )

    @admin.action(
        description=gettext_lazy("Mark everyone not checked in as no-show"), permissions=["change"]
    )
    def mark_no_shows(self, request, queryset):
        self.each_row(
            request,
            queryset,
            lambda event: services.registration_mark_no_shows(
                event=event, acting_user=request.user
            ),
            _("No-shows marked for %(count)s events."),
        )

    @admin.action(
        description=gettext_lazy("Cancel selected events (asks for a reason)"),
        permissions=["change"],
    )
    def cancel(self, request, queryset):
        form = EventCancelForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self.each_row(
                request,
                queryset,
                lambda event: services.event_cancel(
                    event=event, reason=reason, acting_user=request.user
                ),
                _("%(count)s events cancelled; everyone registered is told."),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel events"),
            "events": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "events/admin/event_cancel.html", context)

    def _xlsx(self, body: bytes, name: str) -> HttpResponse:
        response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=gettext_lazy("Sign-in sheet (.xlsx)"), permissions=["view"])
    def export_sign_in_sheet(self, request, queryset):
        stamp = timezone.localdate().isoformat()
        events = queryset.order_by("starts_at", "pk")
        return self._xlsx(sign_in_sheet_xlsx(events), f"sign-in-sheet-{stamp}.xlsx")

    @admin.action(description=gettext_lazy("Attendance and hours (.xlsx)"), permissions=["view"])
    def export_attendance(self, request, queryset):
        stamp = timezone.localdate().isoformat()
        events = queryset.order_by("starts_at", "pk")
        return self._xlsx(attendance_xlsx(events), f"attendance-{stamp}.xlsx")


@admin.register(Registration)
class RegistrationAdmin(ServiceActionAdminMixin, ServiceOwnedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "masked_mobile",
        "organisation",
        "event",
        "status",
        "created_at",
        "checked_in_at",
        "hours",
        "hours_corrected",
    ]
    list_filter = ["status", "hours_corrected", "event__kind", "event__alliance"]
    search_fields = ["name", "event__title", "organisation__name", "token"]
    list_select_related = ["event", "organisation"]
    raw_id_fields = ["event", "participant", "organisation"]
    actions = ["cancel_registrations", "check_in", "export_visitors", "erase_visitors"]
    exclude = ["mobile"]
    readonly_fields = [f.name for f in Registration._meta.fields if f.name != "mobile"] + [
        "masked_mobile"
    ]

    @admin.display(description=gettext_lazy("mobile"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit() and len(term) == 4:
            queryset |= self.model.objects.filter(mobile__endswith=term)
        if code := check_in_code_normalise(term):  # k7p-m3q finds K7PM3Q
            queryset |= self.model.objects.filter(check_in_code=code)
        return queryset, distinct

    @admin.action(description=gettext_lazy("Cancel selected registrations"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        self.each_row(
            request,
            queryset.select_related("event"),
            lambda r: services.registration_cancel(registration=r, acting_user=request.user),
            _("%(count)s registrations cancelled."),
            label=lambda registration: registration.name,
        )

    @admin.action(
        description=gettext_lazy("Check in selected registrations"), permissions=["change"]
    )
    def check_in(self, request, queryset):
        self.each_row(
            request,
            queryset.select_related("event"),
            lambda r: services.registration_check_in(registration=r, acting_user=request.user),
            _("%(count)s registrations checked in."),
            label=lambda registration: registration.name,
        )

    def has_export_permission(self, request):
        return request.user.has_perm("events.export_personal_data")

    @admin.action(
        description=gettext_lazy("Export personal data of selected visitors (on request)"),
        permissions=["export"],
    )
    def export_visitors(self, request, queryset):
        rows = queryset.filter(participant__isnull=True).select_related("event").order_by("pk")
        return personal_data_xlsx_response(personal_data_xlsx(rows))

    def has_erase_permission(self, request):
        return request.user.has_perm("events.erase_personal_data")

    @admin.action(
        description=gettext_lazy("Erase personal data of selected visitors (on request)"),
        permissions=["erase"],
    )
    def erase_visitors(self, request, queryset):
        pks = queryset.filter(participant__isnull=True).values_list("pk", flat=True)
        done = anonymise_visitor_registrations(list(pks))
        self.message_user(
            request, _("%(count)s visitor registrations anonymised.") % {"count": done}
        )


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Organisations keep their own lists; the back office reads them with hour totals."""

    list_display = [
        "name",
        "organisation",
        "role",
        "masked_mobile",
        "is_active",
        "total_hours",
        "star_level",
    ]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "organisation__name"]
    actions = ["export_participants", "erase_participants"]
    list_select_related = ["organisation"]
    exclude = ["mobile"]
    readonly_fields = [
        "organisation",
        "name",
        "masked_mobile",
        "role",
        "is_active",
        "created_at",
        "anonymised_at",
    ]

    def has_export_permission(self, request):
        return request.user.has_perm("events.export_personal_data")

    @admin.action(
        description=gettext_lazy("Export personal data of selected participants (on request)"),
        permissions=["export"],
    )
    def export_participants(self, request, queryset):
        people = list(queryset.select_related("organisation").order_by("pk"))
        registrations = (
            Registration.objects.filter(participant__in=people)
            .select_related("event", "organisation", "participant")
            .order_by("participant", "event__starts_at", "pk")
        )
        idle = [p for p in people if not any(r.participant_id == p.pk for r in registrations)]
        return personal_data_xlsx_response(personal_data_xlsx(registrations, idle))

    def has_erase_permission(self, request):
        return request.user.has_perm("events.erase_personal_data")

    @admin.action(
        description=gettext_lazy("Erase personal data of selected participants (on request)"),
        permissions=["erase"],
    )
    def erase_participants(self, request, queryset):
        done = anonymise_participants(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)s participants anonymised.") % {"count": done})

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(total_hours=selectors.hours_sum("registrations"))
        )

    @admin.display(description=gettext_lazy("mobile"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=gettext_lazy("volunteer hours"), ordering="total_hours")
    def total_hours(self, obj):
        return obj.total_hours

    @admin.display(description=gettext_lazy("star level"))
    def star_level(self, obj):
        return "★" * selectors.star_level(obj.total_hours)
