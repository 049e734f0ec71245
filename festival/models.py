"""The annual festival (年年·公益节): editions, walk-ins; honours and their awards.

An :class:`Edition` is one year's festival: its number, theme, dates, the
festival event (``events.Event`` of kind *festival*) whose children are its
activities, and its partners. Participants of an edition = attended
registrations of the festival and its activities + walk-ins counted per
activity on the day + a recorded figure for what no registration holds (past
editions entered from the federation's own records).

Honours: an :class:`AwardType` (百益先锋, 优秀志愿者, …) has a
:class:`HonourRound` per year; nominations are decided by staff and an
accepted one becomes an :class:`Award` numbered ``<CODE>-<year>-<serial>``,
gapless per type and year (the round row is locked while numbering, and the
database refuses a duplicate serial).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Event, Participant
from federation.models import Organisation


class Edition(models.Model):
    number = models.PositiveIntegerField(_("edition"), unique=True)
    year = models.PositiveIntegerField(_("year"), unique=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    event = models.OneToOneField(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="festival_edition",
        limit_choices_to={"kind": Event.Kind.FESTIVAL},
        verbose_name=_("festival event"),
        help_text=_("Its activities are the event's child events."),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="festival_editions", verbose_name=_("partners")
    )
    partner_note = models.CharField(
        _("other partners"),
        max_length=300,
        blank=True,
        help_text=_("Partners not in the registry."),
    )
    recorded_count = models.PositiveIntegerField(
        _("participants recorded without registration"),
        default=0,
        help_text=_("For past editions: the count from the federation's own records."),
    )
    is_demo_figure = models.BooleanField(_("demo figure"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("festival edition")
        verbose_name_plural = _("festival editions")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="festival_edition_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return _("Edition %(number)s (%(year)s)") % {"number": self.number, "year": self.year}


class WalkInCount(models.Model):
    """People who joined an activity without registering, counted by staff on the day."""

    activity = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="walk_in_count", verbose_name=_("activity")
    )
    count = models.PositiveIntegerField(_("walk-ins"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("walk-in count")
        verbose_name_plural = _("walk-in counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=0), name="festival_walkincount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.count}"


class AwardType(models.Model):
    class Recipient(models.TextChoices):
        PERSON = "person", _("a person")
        ORGANISATION = "organisation", _("an organisation")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Capital letters, the prefix of award numbers, e.g. BYXF."),
    )
    name = models.CharField(_("name"), max_length=100)
    recipient = models.CharField(_("awarded to"), max_length=20, choices=Recipient.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2,10}$"), name="festival_awardtype_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HonourRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open for nominations")
        CLOSED = "closed", _("closed")

    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("award type")
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    nominations_close_on = models.DateField(_("nominations close on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("honour round")
        verbose_name_plural = _("honour rounds")
        ordering = ["-year", "award_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "year"], name="festival_honourround_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    round = models.ForeignKey(
        HonourRound, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("round")
    )
    # A person: their name (and, from an organisation, its participant row); or an organisation.
    nominee_name = models.CharField(_("nominee"), max_length=200)
    nominee_participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    nominee_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honour_nominations",
        verbose_name=_("organisation"),
        help_text=_("The organisation nominated, or the person's organisation."),
    )
    nominated_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by organisation"),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.nominee_name} · {self.round}"


class Award(models.Model):
    round = models.ForeignKey(
        HonourRound, on_delete=models.PROTECT, related_name="awards", verbose_name=_("round")
    )
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="awards", verbose_name=_("award type")
    )
    year = models.PositiveIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=30, unique=True)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honour_awards",
        verbose_name=_("organisation"),
    )
    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award",
        verbose_name=_("nomination"),
    )
    awarded_on = models.DateField(_("awarded on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["award_type", "year", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "year", "serial"], name="festival_award_unique_serial"
            ),
            models.CheckConstraint(
                condition=Q(serial__gte=1), name="festival_award_serial_positive"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="festival_award_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_verify_url(self) -> str:
        return reverse("festival:honour-verify", kwargs={"number": self.number})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
