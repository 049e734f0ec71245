from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("volunteers")

    def ready(self):
        from core.menu import register_work_item, rule_permission
        from federation.sections import register_my_section

        from . import (  # noqa: F401
            retention,  # registers its hold on participants
            selectors,  # registers the events hours source
        )

        register_work_item(
            _("Volunteers"),
            "volunteers:volunteer-list",
            visible=rule_permission("volunteers.manage_volunteers"),
            order=41,
        )

        register_my_section(
            _("Volunteer service records"),
            "volunteers:my-volunteer-list",
            _("Your volunteers' hours and their service-record certificates (志愿服务记录证明)."),
            admin_only=True,
        )
