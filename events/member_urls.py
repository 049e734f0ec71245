from django.urls import path

app_name = "member_events"

urlpatterns: list = []
