from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.ArticleListView.as_view(), name="article-list"),
    path("news/feed/rss/", feeds.ArticleRssFeed(), name="feed-rss"),
    path("news/feed/atom/", feeds.ArticleAtomFeed(), name="feed-atom"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
