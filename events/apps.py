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
        self._register_work_menu()
        self._register_messages()
        self._ready_member_events()

    def _register_work_menu(self):
        from alliances.selectors import user_is_alliance_secretary
        from core.menu import register_work_item, rule_permission
        from federation.rules import user_is_federation_staff as is_staff

        def is_staff_or_secretary(user):
            return is_staff(user) or user_is_alliance_secretary(user)

        register_work_item(
            _("Check-in at events"),
            "events:check-in-index",
            visible=is_staff_or_secretary,
            order=10,
        )
        register_work_item(
            _("Our alliance's events"),
            "events:secretary-event-list",
            visible=user_is_alliance_secretary,
            order=20,
        )
        register_work_item(
            _("Member events awaiting review"),
            "member_events:review-list",
            visible=rule_permission("events.review_member_event"),
            order=40,
        )
        register_work_item(
            _("Volunteer hours"), "events:hours-overview", visible=is_staff, order=50
        )
        register_work_item(
            _("Alliance activity plan"), "events:quarterly-plan", visible=is_staff, order=55
        )

    def _register_messages(self):
        from notifications.registry import register_kind, register_subject

        from . import reminders

        register_kind("registration_confirmed", _("registration confirmed"), mandatory=True)
        register_kind("registration_waitlisted", _("registration waitlisted"), mandatory=True)
        register_kind("registration_promoted", _("promoted from the waiting list"), mandatory=True)
        register_kind("registration_cancelled", _("registration cancelled"), mandatory=True)
        register_kind("event_cancelled", _("event cancelled"), mandatory=True)
        register_subject("event_starts", _("event starts soon"), reminders=reminders.event_starts)
        register_subject(
            "registration_closes",
            _("registration closes soon"),
            reminders=reminders.registration_closes,
        )
        register_subject(
            "alliance_quarter_missing",
            _("alliance quarter missing an activity"),
            reminders=reminders.alliance_quarter_missing,
        )

    def _ready_member_events(self):
        """Member organisations' own events: rules, message kinds, their /my/ section."""
        from federation.sections import register_my_section
        from notifications.registry import register_kind

        from . import member_rules  # noqa: F401  (registers the rules)

        register_kind("member_event_reviewed", _("member event reviewed"), mandatory=True)
        register_my_section(
            _("Our own events"),
            "member_events:list",
            _("Draft your organisation's events, submit them for review, run check-in."),
            admin_only=True,
        )
