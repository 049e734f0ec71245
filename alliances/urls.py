from django.urls import path

from . import views

app_name = "alliances"

urlpatterns = [
    path("alliances/", views.AllianceListView.as_view(), name="list"),
    path("alliances/manage/", views.ManagedAllianceListView.as_view(), name="manage-list"),
    path("alliances/overview/", views.AllianceMatrixView.as_view(), name="matrix"),
    path(
        "alliances/overview/export.xlsx",
        views.AllianceMatrixExportView.as_view(),
        name="matrix-export",
    ),
    path("alliances/<slug:code>/", views.AllianceDetailView.as_view(), name="detail"),
    path("alliances/<slug:code>/manage/", views.AllianceManageView.as_view(), name="manage"),
    path(
        "alliances/<slug:code>/manage/<int:pk>/decide/",
        views.MembershipDecideView.as_view(),
        name="membership-decide",
    ),
    path(
        "alliances/<slug:code>/manage/<int:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path("my/alliances/", views.MyAllianceListView.as_view(), name="my-alliances"),
    path("my/alliances/<slug:code>/apply/", views.MyAllianceApplyView.as_view(), name="apply"),
    path(
        "my/alliances/memberships/<int:pk>/leave/",
        views.MyAllianceLeaveView.as_view(),
        name="leave",
    ),
]
