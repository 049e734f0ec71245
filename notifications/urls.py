from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path(
        "notifications/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
