from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("news and notices")

    def ready(self):
        from alliances.sections import register_alliance_section
        from notifications.registry import register_kind

        register_kind("news_notice", _("notice to member organisations"), mandatory=True)
        register_alliance_section("news/alliance_news.html")
