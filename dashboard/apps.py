import importlib
import pkgutil

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("staff dashboard")

    def ready(self):
        from federation.sections import register_my_section

        from . import panels, rules  # noqa: F401 - registers the permissions

        # Every module in dashboard/panels/ registers its panels: one file per topic.
        for module in pkgutil.iter_modules(panels.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{panels.__name__}.{module.name}")
        register_my_section(
            _("Evidence pack"),
            "dashboard:my-evidence",
            _(
                "Your year at the federation (events, volunteer hours, alliances, inspection) "
                "as .xlsx and PDF, for your annual report and rating."
            ),
            admin_only=True,
        )
