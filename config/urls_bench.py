"""The portal's URLs plus the bare reference views of ``make bench`` (bench settings only)."""

from django.urls import path

from portal.bench import views as bench_views

from .urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("_bench/bare/", bench_views.bare, name="bench-bare"),
    path("_bench/insert/", bench_views.bare_insert, name="bench-insert"),
    path("_bench/sum/", bench_views.bare_sum, name="bench-sum"),
    *portal_urlpatterns,
]
