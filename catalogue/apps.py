from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("service catalogue")

    def ready(self):
        from federation.sections import register_my_section, register_profile_section
        from notifications.registry import register_kind

        register_my_section(
            _("Service offerings"),
            "catalogue:my-offering-list",
            _("Your services in the 《百益宝藏》 catalogue: drafts, review, publication."),
            admin_only=True,
        )
        register_profile_section("catalogue/organisation_profile_offerings.html")
        register_kind("offering_submitted", _("service offering submitted"), mandatory=True)
        register_kind("offering_decided", _("service offering reviewed"), mandatory=True)
