from django.urls import path

from . import views, views_account

app_name = "federation"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("my/account/", views_account.AccountProfileView.as_view(), name="account-profile"),
    path("my/", views.MyHomeView.as_view(), name="my-home"),
    path("my/switch/", views.OrganisationSwitchView.as_view(), name="organisation-switch"),
    path("my/apply/", views.MembershipApplyView.as_view(), name="membership-apply"),
    path("my/profile/", views.MyProfileUpdateView.as_view(), name="my-profile"),
    path("my/members/", views.MyMemberListView.as_view(), name="my-member-list"),
    path("my/members/<int:pk>/role/", views.MyMemberRoleView.as_view(), name="my-member-role"),
    path(
        "my/members/<int:pk>/remove/",
        views.MyMemberRemoveView.as_view(),
        name="my-member-remove",
    ),
    path(
        "my/invitations/new/",
        views.MyInvitationCreateView.as_view(),
        name="my-invitation-create",
    ),
    path(
        "my/invitations/<int:pk>/revoke/",
        views.MyInvitationRevokeView.as_view(),
        name="my-invitation-revoke",
    ),
    path("my/inspections/", views.MyInspectionListView.as_view(), name="my-inspection-list"),
    path(
        "my/inspections/<int:year>/submit/",
        views.MyInspectionSubmitView.as_view(),
        name="my-inspection-submit",
    ),
    path("my/withdraw/", views.MyWithdrawView.as_view(), name="my-withdraw"),
]
