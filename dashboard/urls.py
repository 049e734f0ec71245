from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("staff/", views.DashboardView.as_view(), name="index"),
    path("staff/report.xlsx", views.AnnualReportXlsxView.as_view(), name="report-xlsx"),
    path("staff/report.pdf", views.AnnualReportPdfView.as_view(), name="report-pdf"),
    path("staff/evidence/", views.EvidenceSearchView.as_view(), name="evidence-search"),
    path("my/evidence/", views.MyEvidenceView.as_view(), name="my-evidence"),
    path("evidence/<slug:slug>/", views.EvidencePackView.as_view(), name="evidence"),
    path(
        "evidence/<slug:slug>/<int:year>.xlsx",
        views.EvidencePackXlsxView.as_view(),
        name="evidence-xlsx",
    ),
    path(
        "evidence/<slug:slug>/<int:year>.pdf",
        views.EvidencePackPdfView.as_view(),
        name="evidence-pdf",
    ),
]
