from django.urls import path, re_path

from .views import hub, hub_caravans, hub_events, public, review

app_name = "streets"

urlpatterns = [
    path("streets/", public.HubListView.as_view(), name="hub-list"),
    re_path(r"^streets/(?P<code>[0-9]{9})/$", public.HubDetailView.as_view(), name="hub-detail"),
    # The hub staff area: their own street only.
    path("streets/hub/", hub.HubHomeView.as_view(), name="hub-home"),
    path("streets/hub/profile/", hub.HubProfileView.as_view(), name="hub-profile"),
    path("streets/hub/organisations/", hub.RegistryListView.as_view(), name="hub-registry"),
    path(
        "streets/hub/organisations/export.xlsx",
        hub.RegistryExportView.as_view(),
        name="hub-registry-export",
    ),
    path(
        "streets/hub/organisations/<slug:slug>/",
        hub.RegistryDetailView.as_view(),
        name="hub-registry-detail",
    ),
    path(
        "streets/hub/applications/", hub.ApplicationListView.as_view(), name="hub-application-list"
    ),
    path(
        "streets/hub/applications/<int:pk>/recommend/",
        hub.RecommendView.as_view(),
        name="hub-recommend",
    ),
    path("streets/hub/inspections/", hub.InspectionListView.as_view(), name="hub-inspections"),
    path("streets/hub/events/", hub_events.HubEventListView.as_view(), name="hub-event-list"),
    path(
        "streets/hub/events/new/", hub_events.HubEventCreateView.as_view(), name="hub-event-create"
    ),
    path(
        "streets/hub/events/<int:pk>/",
        hub_events.HubEventUpdateView.as_view(),
        name="hub-event-update",
    ),
    path(
        "streets/hub/events/<int:pk>/submit/",
        hub_events.HubEventSubmitView.as_view(),
        name="hub-event-submit",
    ),
    path(
        "streets/hub/check-in/<slug:slug>/",
        hub_events.StreetCheckInView.as_view(),
        name="hub-check-in",
    ),
    path("streets/hub/caravans/", hub_caravans.HubCaravanListView.as_view(), name="hub-caravans"),
    path(
        "streets/hub/caravans/booths/<int:pk>/record/",
        hub_caravans.HubBoothRecordView.as_view(),
        name="hub-booth-record",
    ),
    # Federation staff: approve hub events, read hub recommendations.
    path("streets/review/", review.ReviewHomeView.as_view(), name="review"),
    path(
        "streets/review/events/<int:pk>/approve/",
        review.ReviewApproveView.as_view(),
        name="review-approve",
    ),
    path(
        "streets/review/events/<int:pk>/return/",
        review.ReviewReturnView.as_view(),
        name="review-return",
    ),
]
