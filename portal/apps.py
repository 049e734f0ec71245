from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: pages and commands that wire every app together."""

    name = "portal"
    verbose_name = _("portal")

    def ready(self):
        from core.menu import register_work_item

        register_work_item(
            _("Back office"), "admin:index", visible=lambda user: user.is_staff, order=90
        )
