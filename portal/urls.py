from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("work/", views.WorkbenchView.as_view(), name="workbench"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
    path("healthz", views.HealthView.as_view(), name="healthz"),
]
