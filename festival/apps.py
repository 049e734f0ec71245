from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "festival"
    verbose_name = _("annual charity festival and honours")

    def ready(self):
        from federation.sections import register_my_section

        register_my_section(
            _("Honours"),
            "festival:my-honours",
            _("Nominate your people or your organisation for the year's honours."),
            admin_only=True,
        )
