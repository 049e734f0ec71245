"""The seven professional alliances (DOMAIN.md §3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
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
