"""The composition pages: the home page (every app's summary), the workbench, the health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.templatetags.static import static
from django.views import View
from django.views.generic import RedirectView, TemplateView

from config.celery_app import app as celery_app
from core.menu import has_workbench, work_items_for
from core.pagecache import NAMESPACES, PublicPageCacheMixin


class HomeView(PublicPageCacheMixin, TemplateView):
    page_cache_namespaces = NAMESPACES

    template_name = "portal/home.html"


class WorkbenchView(LoginRequiredMixin, TemplateView):
    """``/work/``: every tool the user's roles open, and what waits for the staff; 404 for others."""

    template_name = "portal/workbench.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_workbench(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=work_items_for(self.request.user), **kwargs)


class FaviconView(RedirectView):
    """``/favicon.ico``, which browsers ask for on their own: the icon in our static files."""

    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("yilu/favicon.ico")


class HealthView(View):
    """``/healthz``: 200 with ``{db, cache, broker}``; 503 when the database is down."""

    def get(self, request):
        checks = {"db": _check_db(), "cache": _check_cache(), "broker": _check_broker()}
        status = 200 if checks["db"] == "ok" else 503
        return JsonResponse(checks, status=status)


def _check_db() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - report any failure, never raise
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            return "error: value not kept"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"
