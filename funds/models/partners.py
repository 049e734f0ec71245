"""Partners of the fund (护芽伙伴): companies and organisations that give or host activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from federation.validators import validate_logo

from .gifts import Donor


class PartnerQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True)


class Partner(models.Model):
    """A 护芽伙伴 on the public partners page; what it gave comes from its donor's ledger."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        FOUNDATION = "foundation", _("foundation")
        SOCIAL_ORGANISATION = "social_organisation", _("social organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    logo = models.ImageField(
        _("logo"), upload_to="funds/partners/", blank=True, validators=[validate_logo]
    )
    story = models.TextField(
        _("short story"),
        max_length=600,
        blank=True,
        help_text=_("A few lines for the public page."),
    )
    contribution = models.CharField(
        _("what they do for the fund"),
        max_length=200,
        blank=True,
        help_text=_("E.g. monthly vegetable baskets, hosting the caravan; beyond money."),
    )
    website = models.URLField(_("website"), blank=True)
    donor = models.OneToOneField(
        Donor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner",
        verbose_name=_("donor in the ledger"),
        help_text=_("Their gifts are shown as the donor's disclosure choice allows."),
    )
    since_year = models.PositiveSmallIntegerField(_("partner since"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_shown = models.BooleanField(_("shown on the public pages"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
