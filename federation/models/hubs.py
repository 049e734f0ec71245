"""The 14 street hubs (the "14" of 1+14+X), their staff and first-level recommendations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_phone
from .organisations import Organisation
from .reference import Street


class StreetHub(models.Model):
    """A street/town federation (街道(镇)社区社会组织联合会): one per street."""

    street = models.OneToOneField(
        Street, on_delete=models.PROTECT, related_name="hub", verbose_name=_("street")
    )
    name = models.CharField(_("hub name"), max_length=100, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_person = models.CharField(
        _("office contact"),
        max_length=50,
        blank=True,
        help_text=_("A role or office, shown publicly (e.g. 秘书处)."),
    )
    contact_phone = models.CharField(
        _("office phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("The hub's office number, shown publicly."),
    )
    contact_email = models.EmailField(_("office e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    events_need_approval = models.BooleanField(
        _("events need federation approval"),
        default=True,
        help_text=_("The hub's events are published only after federation staff approve them."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("street hub")
        verbose_name_plural = _("street hubs")
        ordering = ["street__code"]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return self.street.code


class HubStaff(models.Model):
    """A person working for one street hub: they see and run their street only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hub_staff",
        verbose_name=_("user"),
    )
    hub = models.ForeignKey(
        StreetHub, on_delete=models.CASCADE, related_name="staff", verbose_name=_("street hub")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hub staff member")
        verbose_name_plural = _("hub staff")
        ordering = ["hub", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} · {self.hub}"


class HubRecommendation(models.Model):
    """A hub's first-level opinion on a membership application; federation staff decide."""

    class Verdict(models.TextChoices):
        RECOMMEND = "recommend", _("recommended")
        RESERVATIONS = "reservations", _("recommended with reservations")
        NOT_RECOMMEND = "not_recommend", _("not recommended")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="hub_recommendation",
        verbose_name=_("organisation"),
    )
    hub = models.ForeignKey(
        StreetHub,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("street hub"),
    )
    verdict = models.CharField(_("recommendation"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    recommended_at = models.DateTimeField(_("recommended at"))

    class Meta:
        verbose_name = _("hub recommendation")
        verbose_name_plural = _("hub recommendations")
        ordering = ["-recommended_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=["recommend", "reservations", "not_recommend"]),
                name="federation_hubrecommendation_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_verdict_display()}"
