from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("alliances")

    def ready(self):
        from federation.sections import register_my_section

        register_my_section(
            _("Alliances"),
            "alliances:my-alliances",
            _("The alliances your organisation belongs to, and applications to join."),
        )
