from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreetsConfig(AppConfig):
    """The "14" of 1+14+X: public hub pages, the hub staff area and street figures."""

    name = "streets"
    verbose_name = _("street hubs")
