from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("federation")

    def ready(self):
        from notifications.registry import register_kind, register_subject

        from . import reminders, rules  # noqa: F401  (rules registers the permissions)

        register_kind("membership_received", _("membership application received"), mandatory=True)
        register_kind("membership_decided", _("membership application decided"), mandatory=True)
        register_kind("organisation_invitation", _("organisation invitation"), mandatory=True)
        register_subject(
            "inspection_due", _("annual inspection due"), reminders=reminders.inspection_due
        )
        register_subject(
            "hub_inspection_late",
            _("annual inspections late in a hub's street"),
            reminders=reminders.hub_inspection_late,
        )
