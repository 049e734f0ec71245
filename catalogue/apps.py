from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("service catalogue")

    def ready(self):
        from core.menu import register_work_item, rule_permission
        from federation.sections import register_my_section, register_profile_section
        from notifications.registry import register_kind

        register_work_item(
            _("Service offerings awaiting review"),
            "catalogue:review-list",
            visible=rule_permission("catalogue.review_offering"),
            order=45,
        )

        register_my_section(
            _("Service offerings"),
            "catalogue:my-offering-list",
            _("Your services in the 《百益宝藏》 catalogue: drafts, review, publication."),
            admin_only=True,
        )
        register_profile_section("catalogue/organisation_profile_offerings.html")
        register_kind("offering_submitted", _("service offering submitted"), mandatory=True)
        register_kind("offering_decided", _("service offering reviewed"), mandatory=True)
