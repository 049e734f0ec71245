"""``/news/feed/rss/`` and ``/news/feed/atom/``: Django's syndication framework."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Article


class ArticleRssFeed(Feed):
    description = _("News and notices of the Jing'an District Social Organization Federation.")

    def title(self) -> str:
        return f"{settings.YILU_SITE_NAME} · {_('News and notices')}"

    def link(self) -> str:
        return reverse("news:article-list")

    def items(self) -> list[Article]:
        return selectors.article_list_feed()

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or item.title

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_category_display())]


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed
    subtitle = ArticleRssFeed.description
