from django.urls import path

from . import views

app_name = "festival"

urlpatterns = [
    path("festival/", views.FestivalHistoryView.as_view(), name="history"),
    path(
        "festival/walk-ins/<slug:slug>/",
        views.WalkInCounterView.as_view(),
        name="walk-in-counter",
    ),
    path("honours/", views.HonourRollView.as_view(), name="honour-roll"),
    path("honours/<int:year>/", views.HonourRollView.as_view(), name="honour-roll-year"),
    path("honours/verify/<str:number>/", views.HonourVerifyView.as_view(), name="honour-verify"),
    path(
        "honours/awards/<str:number>.pdf",
        views.AwardCertificatePdfView.as_view(),
        name="award-pdf",
    ),
    path(
        "honours/nominations/",
        views.NominationReviewView.as_view(),
        name="nomination-review",
    ),
    path("my/honours/", views.MyHonoursView.as_view(), name="my-honours"),
    path(
        "my/honours/<int:pk>/nominate/",
        views.NominationCreateView.as_view(),
        name="nomination-create",
    ),
]
