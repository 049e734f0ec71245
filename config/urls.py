from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

# The admin login goes through allauth (rate limits, MFA, verified e-mail).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Yilu back office")
admin.site.site_title = _("Yilu back office")
admin.site.index_title = _("Federation administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
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
