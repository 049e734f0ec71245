"""Reference data: streets/towns and service fields (loaded by data migrations)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin:
    """``name`` in the active language, from ``name_zh`` / ``name_en``."""

    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Street(BilingualNameMixin, models.Model):
    """One of Jing'an's 14 streets/towns, each with its own hub (DOMAIN.md §2)."""

    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("subdistrict (街道)")
        TOWN = "town", _("town (镇)")

    class OldDistrict(models.TextChoices):
        JINGAN = "jingan", _("former Jing'an")
        ZHABEI = "zhabei", _("former Zhabei")

    code = models.CharField(_("statistical code"), max_length=9, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_district = models.CharField(_("old district"), max_length=20, choices=OldDistrict.choices)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServiceField(BilingualNameMixin, models.Model):
    """A field of public-good service, as in the 《百益宝藏》 handbook."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service field")
        verbose_name_plural = _("service fields")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name
