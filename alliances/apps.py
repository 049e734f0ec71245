from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("alliances")

    def ready(self):
        from federation.affiliations import register_affiliation
        from federation.sections import register_my_section
        from notifications.registry import register_kind

        from . import selectors

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
