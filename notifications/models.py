"""The outbox: every message to send is a row, written in the transaction that caused it.

Message kinds and reminder subjects are plain strings that the apps declare in
``notifications.registry`` (from their ``AppConfig.ready()``): the outbox knows
no domain app, so its columns carry no choices.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .registry import kind_label, subject_get


class Channel(models.TextChoices):
    """How a message travels. Only e-mail exists; SMS / WeChat would be added here."""

    EMAIL = "email", _("e-mail")


class MessageQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(state=Message.State.PENDING, due_at__lte=now)


class Message(models.Model):
    """One message in the outbox: pending → sending → sent | failed | skipped."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox message state", "pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    class SkipReason(models.TextChoices):
        NONE = "", _("—")
        TOO_LATE = "too_late", _("too late")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        NO_ADDRESS = "no_address", _("no address")
        INACTIVE = "inactive", _("recipient inactive")

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_messages",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("Used only when there is no recipient account (e.g. a visitor)."),
    )
    template = models.CharField(_("template"), max_length=200)
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    optional = models.BooleanField(
        _("optional"), default=False, help_text=_("The recipient may unsubscribe from this kind.")
    )
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    rule = models.ForeignKey(
        "notifications.ReminderRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("reminder rule"),
    )
    due_at = models.DateTimeField(_("due at"))
    # Reminders are pointless after this moment (e.g. the event has started).
    expires_at = models.DateTimeField(_("too late after"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    skip_reason = models.CharField(
        _("skip reason"), max_length=20, choices=SkipReason.choices, blank=True, default=""
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # A fresh token per claim: a stale task holding an old token changes nothing.
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-due_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="notifications_msg_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notifications_message_has_address",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sending") | models.Q(claim_token__isnull=False),
                name="notifications_message_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=~models.Q(dedupe_key=""),
                name="notifications_message_dedupe_key_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_kind_display(self) -> str:
        return str(kind_label(self.kind))


class ReminderRule(models.Model):
    """When a kind of reminder is created: offset before the moment, local time of day."""

    subject = models.CharField(_("subject"), max_length=50)
    offset_days = models.SmallIntegerField(
        _("days before"),
        help_text=_("Days before the moment (negative: days after, e.g. for overdue reminders)."),
    )
    time_of_day = models.TimeField(_("local time of day"), help_text=_("Asia/Shanghai time."))
    is_active = models.BooleanField(_("on"), default=True)
    template = models.CharField(_("template"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["subject", "-offset_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "offset_days"], name="notifications_reminderrule_unique_offset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} −{self.offset_days}d {self.time_of_day:%H:%M}"

    def get_subject_display(self) -> str:
        return str(kind_label(self.subject))

    def clean(self):
        from django.template import TemplateDoesNotExist
        from django.template.loader import get_template

        if self.subject and subject_get(self.subject) is None:
            raise ValidationError(
                {
                    "subject": ValidationError(
                        _("No app computes reminders about %(subject)s."),
                        code="unknown_subject",
                        params={"subject": self.subject},
                    )
                }
            )
        for suffix in ("_subject.txt", "_message.txt"):
            try:
                get_template(f"{self.template}{suffix}")
            except TemplateDoesNotExist:
                raise ValidationError(
                    {
                        "template": _("No template %(name)s exists.")
                        % {"name": f"{self.template}{suffix}"}
                    },
                    code="template_missing",
                ) from None


class Unsubscription(models.Model):
    """Someone asked not to receive an optional kind of message any more."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_unsubscriptions",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind"],
                condition=models.Q(recipient__isnull=False),
                name="notifications_unsubscription_unique_recipient_kind",
            ),
            models.UniqueConstraint(
                fields=["email", "kind"],
                condition=models.Q(recipient__isnull=True),
                name="notifications_unsubscription_unique_email_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notifications_unsubscription_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_kind_display(self) -> str:
        return str(kind_label(self.kind))
