from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("events")

    def ready(self):
        from federation.sections import register_my_section, register_profile_section

        register_my_section(
            _("Event registrations"),
            "events:registration-list",
            _("Your people's places at events, e-tickets and cancellations."),
        )
        register_my_section(
            _("Participants and volunteer hours"),
            "events:participant-list",
            _("Staff and volunteers you register, with their hours and star levels."),
        )
        register_profile_section("events/organisation_profile_events.html")
