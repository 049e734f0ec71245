"""The seven professional alliances (DOMAIN.md §3)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from federation.models import BilingualNameMixin, Organisation


class Alliance(BilingualNameMixin, models.Model):
    """A professional alliance: created by a data migration, edited by staff."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_alliances",
        verbose_name=_("lead organisation"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alliances_as_secretary",
        verbose_name=_("alliance secretary"),
    )

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        if (get_language() or "").lower().startswith("en") and self.description_en:
            return self.description_en
        return self.description_zh


class AllianceMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=AllianceMembership.Status.ACTIVE)

    def live(self):
        return self.filter(status__in=AllianceMembership.LIVE_STATUSES)


class AllianceMembership(models.Model):
    """An organisation's application to, and membership of, one alliance.

    A row is one application: pending -> active (approved) or declined;
    active -> left. A new application after declined/left is a new row, so the
    old rows stay as history.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("alliance membership status", "pending")
        ACTIVE = "active", _("active")
        DECLINED = "declined", _("declined")
        LEFT = "left", _("left")

    LIVE_STATUSES = (Status.PENDING, Status.ACTIVE)

    organisation = models.ForeignKey(
        "federation.Organisation",
        on_delete=models.CASCADE,
        related_name="alliance_memberships",
        verbose_name=_("organisation"),
    )
    alliance = models.ForeignKey(
        Alliance,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("alliance"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    note = models.TextField(_("application note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AllianceMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        ordering = ["alliance", "organisation", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "alliance"],
                condition=models.Q(status__in=["pending", "active"]),
                name="alliances_alliancemembership_one_live",
            ),
        ]
        indexes = [models.Index(fields=["alliance", "status"])]
        permissions = [
            ("import_alliancemembership", _("Can import alliance memberships")),
            ("export_alliancemembership", _("Can export alliance memberships")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.alliance} ({self.get_status_display()})"


class AllianceMembershipChange(models.Model):
    """History: one row per status change of a membership (who, when, from, to, why)."""

    membership = models.ForeignKey(
        AllianceMembership,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("alliance membership"),
    )
    from_status = models.CharField(
        _("from status"), max_length=10, choices=AllianceMembership.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=10, choices=AllianceMembership.Status.choices
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("alliance membership change")
        verbose_name_plural = _("alliance membership changes")
        ordering = ["membership", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.from_status or '-'} -> {self.to_status}"
