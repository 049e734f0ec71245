from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/calendar/", views.EventCalendarView.as_view(), name="event-calendar"),
    path("events/feed.ics", views.EventFeedView.as_view(), name="event-feed"),
    path("events/check-in/", views.CheckInIndexView.as_view(), name="check-in-index"),
    path("events/hours/", views.HoursOverviewView.as_view(), name="hours-overview"),
    path("events/quarterly-plan/", views.QuarterlyPlanView.as_view(), name="quarterly-plan"),
    path("events/ticket/<str:token>/", views.TicketView.as_view(), name="ticket"),
    path(
        "events/ticket/<str:token>/cancel/", views.TicketCancelView.as_view(), name="ticket-cancel"
    ),
    path("events/<slug:slug>.ics", views.EventIcsView.as_view(), name="event-ics"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path(
        "events/<slug:slug>/register/",
        views.RegistrationCreateView.as_view(),
        name="registration-create",
    ),
    path("events/<slug:slug>/signup/", views.VisitorSignupView.as_view(), name="visitor-signup"),
    path("events/<slug:slug>/check-in/", views.CheckInView.as_view(), name="check-in"),
    path("events/<slug:slug>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("events/<slug:slug>/no-shows/", views.MarkNoShowsView.as_view(), name="mark-no-shows"),
    path(
        "events/<slug:slug>/attendance/<int:pk>/hours/",
        views.HoursCorrectView.as_view(),
        name="hours-correct",
    ),
    path("my/registrations/", views.MyRegistrationListView.as_view(), name="registration-list"),
    path(
        "my/registrations/<int:pk>/",
        views.MyRegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "my/registrations/<int:pk>/cancel/",
        views.MyRegistrationCancelView.as_view(),
        name="registration-cancel",
    ),
    path("my/participants/", views.ParticipantListView.as_view(), name="participant-list"),
    path("my/participants/new/", views.ParticipantCreateView.as_view(), name="participant-create"),
    path(
        "my/participants/<int:pk>/edit/",
        views.ParticipantUpdateView.as_view(),
        name="participant-update",
    ),
    path(
        "my/alliance-events/",
        views.SecretaryEventListView.as_view(),
        name="secretary-event-list",
    ),
    path(
        "my/alliance-events/new/",
        views.SecretaryEventCreateView.as_view(),
        name="secretary-event-create",
    ),
    path(
        "my/alliance-events/<int:pk>/edit/",
        views.SecretaryEventUpdateView.as_view(),
        name="secretary-event-update",
    ),
    path(
        "my/alliance-events/<int:pk>/publish/",
        views.SecretaryEventPublishView.as_view(),
        name="secretary-event-publish",
    ),
    path(
        "my/alliance-events/<int:pk>/cancel/",
        views.SecretaryEventCancelView.as_view(),
        name="secretary-event-cancel",
    ),
]
