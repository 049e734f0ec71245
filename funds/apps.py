from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Spring Bud Fund")

    def ready(self):
        from federation.sections import register_my_section

        register_my_section(
            _("Spring Bud Fund grants"),
            "funds:my-grant-list",
            _("Apply for a grant for a frontline staff member or a project, and report on it."),
        )
