from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("volunteers/", views.VolunteerListView.as_view(), name="volunteer-list"),
    path("volunteers/<int:pk>/", views.VolunteerDetailView.as_view(), name="volunteer-detail"),
    path(
        "volunteers/certificates/<str:number>.pdf",
        views.CertificatePdfView.as_view(),
        name="certificate-pdf",
    ),
    path("volunteers/verify/<str:number>/", views.VerifyView.as_view(), name="verify"),
    path("volunteers/certificate/", views.CertificateRequestView.as_view(), name="request"),
    path(
        "volunteers/certificate/confirm/",
        views.CertificateRequestConfirmView.as_view(),
        name="request-confirm",
    ),
    path(
        "volunteers/certificate/requested/",
        views.CertificateRequestDoneView.as_view(),
        name="request-done",
    ),
    path("my/volunteers/", views.MyVolunteerListView.as_view(), name="my-volunteer-list"),
    path(
        "my/volunteers/<int:pk>/certificate/",
        views.MyCertificateIssueView.as_view(),
        name="my-certificate-issue",
    ),
]
