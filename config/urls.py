from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language

# The admin login goes through allauth (rate limits, MFA, verified e-mail).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Yilu back office")
admin.site.site_title = _("Yilu back office")
admin.site.index_title = _("Federation administration")

urlpatterns = [
    # The language switcher on every page posts without a CSRF token, so public pages
    # carry no per-visitor token and can be cached whole (core.pagecache); a forged
    # post could only change the visitor's display language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("portal.urls")),
    path("", include("federation.urls")),
    path("", include("alliances.urls")),
    path("", include("events.urls")),
    path("", include("funds.urls")),
    path("", include("caravan.urls")),
    path("", include("catalogue.urls")),
    path("", include("news.urls")),
    path("", include("streets.urls")),
    path("", include("volunteers.urls")),
    path("", include("festival.urls")),
    path("", include("events.member_urls")),
    path("", include("notifications.urls")),
    path("", include("dashboard.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    urlpatterns += [
        path("404/", TemplateView.as_view(template_name="404.html")),
        path("500/", TemplateView.as_view(template_name="500.html")),
    ]
