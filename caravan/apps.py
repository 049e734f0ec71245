from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaravanConfig(AppConfig):
    name = "caravan"
    verbose_name = _("monthly caravan")

    def ready(self):
        from core.menu import register_work_item, rule_permission
        from federation.sections import register_my_section
        from federation.street_figures import register_street_figure
        from notifications.registry import register_kind, register_subject

        from . import (
            reminders,
            retention,  # noqa: F401  (keeps people on duty, erases qualifications)
            rules,  # noqa: F401  (registers the rules)
            selectors,
        )

        manage = rule_permission("caravan.manage_caravan")
        register_work_item(
            _("Caravan: plan and generate"), "caravan:manage", visible=manage, order=30
        )
        register_work_item(_("Caravan: booth matrix"), "caravan:matrix", visible=manage, order=31)
        register_work_item(_("Caravan: people served"), "caravan:totals", visible=manage, order=32)

        register_my_section(
            _("Caravan booths"),
            "caravan:my-booth-list",
            _(
                "Host a booth at the monthly caravan, name the people on duty, record people served."
            ),
            admin_only=True,
        )
        register_street_figure(
            "caravan_people_served",
            _("people served at caravan booths"),
            selectors.people_served_in_street,
        )
        register_kind("booth_decided", _("caravan booth decided"), mandatory=True)
        register_kind("caravan_cancelled", _("caravan cancelled"), mandatory=True)
        register_subject(
            "booth_open_slots",
            _("caravan booth slots still open"),
            reminders=reminders.booth_open_slots,
        )
        register_subject(
            "booth_qualification_expiring",
            _("host's qualification expires before the booth day"),
            reminders=reminders.booth_qualification_expiring,
        )
        register_subject(
            "service_records_missing",
            _("caravan service records missing"),
            reminders=reminders.service_records_missing,
        )
