"""The home page composes every app's block (portal is the only place that knows them all)."""

import pytest
from django.urls import reverse

from news.models import Article
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_home_lists_the_latest_published_news_and_notices(client):
    ArticleFactory(title="大篷车走进石门二路街道")
    ArticleFactory(title="关于年检的通知", category=Article.Category.NOTICE)
    ArticleFactory(title="尚未发布的草稿", status=Article.Status.DRAFT)
    html = client.get(reverse("portal:home")).content.decode()
    assert "大篷车走进石门二路街道" in html
    assert "关于年检的通知" in html
    assert "尚未发布的草稿" not in html


def test_home_query_count_does_not_grow_with_news(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(3)
    client.get(reverse("portal:home"))
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("portal:home"))
    ArticleFactory.create_batch(20)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("portal:home"))
