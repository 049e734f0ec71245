"""HTTP for events: public pages, the organisation area, check-in and secretaries' events."""

from ._common import NavEventsMixin
from .attendance import (
    AttendanceMixin,
    AttendanceView,
    HoursCorrectView,
    HoursOverviewView,
    MarkNoShowsView,
    QuarterlyPlanView,
)
from .check_in import CheckInIndexView, CheckInView
from .my import (
    MyAreaMixin,
    MyRegistrationCancelView,
    MyRegistrationDetailView,
    MyRegistrationListView,
    ParticipantCreateView,
    ParticipantListView,
    ParticipantUpdateView,
)
from .public import EventCalendarView, EventDetailView, EventFeedView, EventIcsView, EventListView
from .registering import RegistrationCreateView, TicketCancelView, TicketView, VisitorSignupView
from .secretary import (
    SecretaryEventCancelView,
    SecretaryEventCreateView,
    SecretaryEventFormMixin,
    SecretaryEventListView,
    SecretaryEventPublishView,
    SecretaryEventUpdateView,
    SecretaryMixin,
)

__all__ = [
    "NavEventsMixin",
    "EventListView",
    "EventCalendarView",
    "EventDetailView",
    "EventIcsView",
    "EventFeedView",
    "RegistrationCreateView",
    "VisitorSignupView",
    "TicketView",
    "TicketCancelView",
    "MyAreaMixin",
    "MyRegistrationListView",
    "MyRegistrationDetailView",
    "MyRegistrationCancelView",
    "ParticipantListView",
    "ParticipantCreateView",
    "ParticipantUpdateView",
    "AttendanceMixin",
    "CheckInIndexView",
    "CheckInView",
    "MarkNoShowsView",
    "AttendanceView",
    "HoursCorrectView",
    "HoursOverviewView",
    "QuarterlyPlanView",
    "SecretaryMixin",
    "SecretaryEventListView",
    "SecretaryEventFormMixin",
    "SecretaryEventCreateView",
    "SecretaryEventUpdateView",
    "SecretaryEventPublishView",
    "SecretaryEventCancelView",
]
