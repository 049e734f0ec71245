from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: pages and commands that wire every app together."""

    name = "portal"
    verbose_name = _("portal")
