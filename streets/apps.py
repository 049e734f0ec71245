from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreetsConfig(AppConfig):
    """The "14" of 1+14+X: public hub pages, the hub staff area and street figures."""

    name = "streets"
    verbose_name = _("street hubs")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .login import remember_hub_staff

        # The header's link to the hub area, asked once at login (streets.login).
        user_logged_in.connect(remember_hub_staff, dispatch_uid="streets.remember_hub_staff")
