from django.urls import path

from . import member_views as views

app_name = "member_events"

urlpatterns = [
    path("my/events/", views.MemberEventListView.as_view(), name="list"),
    path("my/events/new/", views.MemberEventCreateView.as_view(), name="create"),
    path("my/events/<int:pk>/", views.MemberEventDetailView.as_view(), name="detail"),
    path("my/events/<int:pk>/edit/", views.MemberEventUpdateView.as_view(), name="update"),
    path("my/events/<int:pk>/submit/", views.MemberEventSubmitView.as_view(), name="submit"),
    path("my/events/<int:pk>/cancel/", views.MemberEventCancelView.as_view(), name="cancel"),
    path("my/events/<int:pk>/no-shows/", views.MemberEventNoShowsView.as_view(), name="no-shows"),
    path(
        "my/events/<int:pk>/registrations/<int:registration>/check-in/",
        views.MemberEventCheckInView.as_view(),
        name="check-in",
    ),
    path(
        "my/events/<int:pk>/registrations/<int:registration>/hours/",
        views.MemberEventHoursView.as_view(),
        name="hours",
    ),
    path("member-events/review/", views.MemberEventReviewListView.as_view(), name="review-list"),
    path("member-events/review/<int:pk>/", views.MemberEventReviewView.as_view(), name="review"),
]
