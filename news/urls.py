from django.urls import path

from core.pagecache import cache_public_page

from . import feeds, views

_FEED_CACHE = cache_public_page("news", "alliances", "streets", "organisations")

app_name = "news"

urlpatterns = [
    path("news/", views.ArticleListView.as_view(), name="article-list"),
    path("news/feed/rss/", _FEED_CACHE(feeds.ArticleRssFeed()), name="feed-rss"),
    path("news/feed/atom/", _FEED_CACHE(feeds.ArticleAtomFeed()), name="feed-atom"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
