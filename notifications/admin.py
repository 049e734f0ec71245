import json
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.forms import error_text

from .context import context_decode
from .models import Message, ReminderRule, Unsubscription
from .registry import kind_choices, kind_label, subject_choices
from .rendering import message_render
from .selectors import reminder_rule_list_with_counts
from .services import message_resend


class KindListFilter(admin.SimpleListFilter):
    """The message kinds the apps registered (the column carries no choices)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class SubjectListFilter(KindListFilter):
    title = _("subject")
    parameter_name = "subject"

    def lookups(self, request, model_admin):
        return subject_choices()

    def queryset(self, request, queryset):
        return queryset.filter(subject=self.value()) if self.value() else queryset


@admin.display(description=_("kind"), ordering="kind")
def kind_display(obj) -> str:
    return kind_label(obj.kind)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox: read-only rows; failed ones can be sent again."""

    list_display = [
        "id",
        kind_display,
        "address",
        "state",
        "skip_reason",
        "due_at",
        "attempts",
        "error_summary",
        "sent_at",
        "rule",
    ]
    list_filter = [
        "state",
        KindListFilter,
        "skip_reason",
        "channel",
        "language",
        # No sidebar list of every recipient (thousands of visitors): the "to"
        # column filters by its recipient, and the search box finds addresses.
        "rule",
    ]
    search_fields = ["recipient__email", "email", "dedupe_key"]
    list_select_related = ["recipient", "rule"]
    date_hierarchy = "due_at"
    actions = ["resend_failed"]
    readonly_fields = [
        kind_display,
        "channel",
        "recipient",
        "email",
        "template",
        "preview",
        "context_pretty",
        "language",
        "optional",
        "dedupe_key",
        "rule",
        "due_at",
        "expires_at",
        "state",
        "skip_reason",
        "attempts",
        "last_error",
        "claimed_at",
        "sent_at",
        "created_at",
        "updated_at",
    ]
    # The raw kind code shows as its registered label (kind_display) instead.
    exclude = ["kind", "context", "claim_token"]

    @admin.display(description=_("to"), ordering="recipient__email")
    def address(self, obj: Message) -> str:
        if not obj.recipient_id:
            return obj.email
        return format_html(
            '<a href="?recipient__id__exact={}" title="{}">{}</a>',
            obj.recipient_id,
            gettext("All messages to this person"),
            obj.recipient.email,
        )

    @admin.display(description=_("last error"))
    def error_summary(self, obj: Message) -> str:
        return Truncator(obj.last_error).chars(60) if obj.last_error else ""

    @admin.display(description=_("preview"))
    def preview(self, obj: Message) -> str:
        """The mail as the recipient reads it (subject and text), in their language."""
        try:
            rendered = message_render(obj)
        except Exception as exc:  # noqa: BLE001 - a broken template is shown, not raised
            return format_html(
                "<p>{}</p>", gettext("Cannot render: %(error)s") % {"error": type(exc).__name__}
            )
        return format_html(
            "<p><strong>{}</strong></p><pre>{}</pre>", rendered.subject, rendered.text
        )

    @admin.display(description=_("context"))
    def context_pretty(self, obj: Message) -> str:
        text = json.dumps(context_decode(obj.context), ensure_ascii=False, indent=2, default=str)
        return format_html("<pre>{}</pre>", text)

    def has_resend_permission(self, request) -> bool:
        # Rows are read-only in the admin; sending again is a separate right.
        return request.user.has_perm("notifications.change_message")

    @admin.action(description=_("Send the selected failed messages again"), permissions=["resend"])
    def resend_failed(self, request, queryset):
        resent = 0
        for message in queryset.order_by("pk"):
            try:
                message_resend(message=message, acting_user=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("Message %(id)s: %(error)s")
                    % {"id": message.pk, "error": error_text(error)},
                    messages.WARNING,
                )
            else:
                resent += 1
        if resent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message queued again.", "%(count)d messages queued again.", resent
                )
                % {"count": resent},
                messages.SUCCESS,
            )


class ReminderRuleForm(forms.ModelForm):
    """The subject is one the apps registered (``notifications.registry``)."""

    subject = forms.ChoiceField(label=_("subject"), choices=subject_choices)

    class Meta:
        model = ReminderRule
        fields = ["subject", "offset_days", "time_of_day", "is_active", "template"]


@admin.display(description=_("subject"), ordering="subject")
def subject_display(obj) -> str:
    return kind_label(obj.subject)


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    """Staff edit offsets, times and templates; the list shows the last 30 days' counts."""

    form = ReminderRuleForm
    list_display = [
        subject_display,
        "offset_days",
        "time_of_day",
        "is_active",
        "template",
        "sent_30_days",
        "skipped_30_days",
        "failed_30_days",
        "pending_30_days",
    ]
    list_editable = ["is_active"]
    list_filter = [SubjectListFilter, "is_active"]

    def get_queryset(self, request):
        return reminder_rule_list_with_counts(since=timezone.now() - timedelta(days=30))

    @admin.display(description=_("sent (30 days)"), ordering="sent_count")
    def sent_30_days(self, obj) -> int:
        return obj.sent_count

    @admin.display(description=_("skipped (30 days)"), ordering="skipped_count")
    def skipped_30_days(self, obj) -> int:
        return obj.skipped_count

    @admin.display(description=_("failed (30 days)"), ordering="failed_count")
    def failed_30_days(self, obj) -> int:
        return obj.failed_count

    @admin.display(description=_("waiting (30 days)"), ordering="pending_count")
    def pending_30_days(self, obj) -> int:
        return obj.pending_count


@admin.register(Unsubscription)
class UnsubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [kind_display, "recipient", "email", "created_at"]
    list_filter = [KindListFilter]
    search_fields = ["recipient__email", "email"]
    list_select_related = ["recipient"]
    readonly_fields = [kind_display, "recipient", "email", "created_at"]
    exclude = ["kind"]

    def has_delete_permission(self, request, obj=None):
        # Deleting an unsubscription subscribes the person again: the one change allowed.
        return admin.ModelAdmin.has_delete_permission(self, request, obj)
