from django.urls import path

from .views import my, public, staff

app_name = "caravan"

urlpatterns = [
    path("caravan/", public.CaravanPublicView.as_view(), name="public"),
    path("caravan/manage/", staff.ManageView.as_view(), name="manage"),
    path("caravan/manage/generate/", staff.GenerateView.as_view(), name="generate"),
    path("caravan/manage/<int:pk>/publish/", staff.PublishView.as_view(), name="publish"),
    path("caravan/manage/<int:pk>/cancel/", staff.CancelView.as_view(), name="cancel"),
    path(
        "caravan/manage/applications/<int:pk>/<str:decision>/",
        staff.DecideView.as_view(),
        name="decide",
    ),
    path("caravan/manage/matrix/", staff.MatrixView.as_view(), name="matrix"),
    path("caravan/manage/matrix.xlsx", staff.MatrixXlsxView.as_view(), name="matrix-xlsx"),
    path("caravan/manage/totals/", staff.TotalsView.as_view(), name="totals"),
    path(
        "caravan/manage/records/<int:pk>/post/",
        staff.PostProceedsView.as_view(),
        name="post-proceeds",
    ),
    path("caravan/manage/import/", staff.HistoryImportView.as_view(), name="history-import"),
    path("my/caravan/", my.MyBoothListView.as_view(), name="my-booth-list"),
    path("my/caravan/slots/<int:pk>/apply/", my.MyApplyView.as_view(), name="my-apply"),
    path("my/caravan/booths/<int:pk>/withdraw/", my.MyWithdrawView.as_view(), name="my-withdraw"),
    path("my/caravan/booths/<int:pk>/record/", my.MyRecordView.as_view(), name="my-record"),
    path(
        "my/caravan/qualifications/new/",
        my.MyQualificationCreateView.as_view(),
        name="my-qualification-create",
    ),
]
