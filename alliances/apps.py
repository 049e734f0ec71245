from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("alliances")

    def ready(self):
        from core.menu import register_work_item, register_worker
        from federation.affiliations import register_affiliation
        from federation.rules import user_is_federation_staff
        from federation.sections import register_my_section
        from notifications.registry import register_kind

        from . import selectors

        register_worker(selectors.user_is_alliance_secretary)
        register_work_item(
            _("Alliance management"),
            "alliances:manage-list",
            visible=lambda user: (
                user_is_federation_staff(user) or selectors.user_is_alliance_secretary(user)
            ),
            order=30,
        )
        register_work_item(
            _("Alliance overview"), "alliances:matrix", visible=user_is_federation_staff, order=35
        )

        register_my_section(
            _("Alliances"),
            "alliances:my-alliances",
            _("The alliances your organisation belongs to, and applications to join."),
        )
        register_affiliation(
            choices=selectors.alliance_list_for_filter,
            filter=selectors.organisation_filter_by_alliance,
            prefetch=selectors.organisation_prefetch_active_alliances,
        )
        register_kind(
            "alliance_application_received", _("alliance application received"), mandatory=True
        )
        register_kind(
            "alliance_application_decided", _("alliance application decided"), mandatory=True
        )
