from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "festival"
    verbose_name = _("annual charity festival and honours")

    def ready(self):
        from core.menu import register_work_item, rule_permission
        from federation.sections import register_my_section

        register_work_item(
            _("Honour nominations"),
            "festival:nomination-review",
            visible=rule_permission("festival.manage_honours"),
            order=40,
        )

        register_my_section(
            _("Honours"),
            "festival:my-honours",
            _("Nominate your people or your organisation for the year's honours."),
            admin_only=True,
        )
