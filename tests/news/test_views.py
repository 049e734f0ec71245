"""Public news pages, the feeds (parsed back) and the alliance page's news block."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from news.selectors import article_list_public, news_list_latest
from tests.alliances.factories import alliance
from tests.events.factories import EventFactory

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_list_shows_published_items_pinned_first_and_hides_drafts_and_future(ordinary_day, client):
    old_pinned = ArticleFactory(
        title="置顶通知", is_pinned=True, published_at=timezone.now() - datetime.timedelta(days=30)
    )
    fresh = ArticleFactory(title="最新动态")
    ArticleFactory(title="草稿", status=Article.Status.DRAFT)
    ArticleFactory(title="明天发布", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get(reverse("news:article-list"))
    assert response.status_code == 200
    assert list(response.context["articles"]) == [old_pinned, fresh]
    assert "草稿" not in response.content.decode()
    assert "明天发布" not in response.content.decode()


def test_list_filters_by_category(client):
    ArticleFactory(title="一条新闻")
    notice = ArticleFactory(title="一条通知", category=Article.Category.NOTICE)
    response = client.get(reverse("news:article-list"), {"category": "notice"})
    assert list(response.context["articles"]) == [notice]


def test_list_survives_a_bad_page_and_category(client):
    ArticleFactory()
    assert client.get(reverse("news:article-list"), {"page": "abc"}).status_code == 200
    response = client.get(reverse("news:article-list"), {"category": "nonsense", "page": "99"})
    assert response.status_code == 200
    assert len(response.context["articles"]) == 1


@pytest.mark.parametrize("count", [3, 15])
def test_list_page_query_count_is_constant(client, django_assert_max_num_queries, count):
    ArticleFactory.create_batch(count)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("news:article-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_selectors_query_count_is_constant(django_assert_max_num_queries, count):
    ArticleFactory.create_batch(count)
    with django_assert_max_num_queries(1):
        list(article_list_public())
    with django_assert_max_num_queries(1):
        news_list_latest(5)


def test_detail_renders_sanitised_markdown_and_related_items(client):
    event = EventFactory(title="月月·大篷车 十二月")
    article = ArticleFactory(
        body="**加粗**<script>alert(1)</script>[坏链接](javascript:alert(1))",
        category=Article.Category.NOTICE,
    )
    article.related_events.set([event])
    article.related_alliances.set([alliance("elderly")])
    body = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>加粗</strong>" in body
    assert "<script>alert(1)" not in body
    assert "javascript:" not in body
    assert "月月·大篷车 十二月" in body
    assert alliance("elderly").name in body


def test_detail_of_a_draft_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_rss_feed_parses_with_the_required_elements(client):
    ArticleFactory(title="春芽基金十周年（演示）", summary="摘要")
    ArticleFactory(title="草稿", status=Article.Status.DRAFT)
    response = client.get(reverse("news:feed-rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["春芽基金十周年（演示）"]
    assert "/news/" in items[0].findtext("link")
    assert items[0].findtext("pubDate")
    assert items[0].findtext("guid")


def test_atom_feed_parses_with_the_required_elements(client):
    article = ArticleFactory(title="关于年检的通知（演示）", category=Article.Category.NOTICE)
    response = client.get(reverse("news:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}")
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "关于年检的通知（演示）"
    assert entry.findtext(f"{ATOM}id")
    assert entry.findtext(f"{ATOM}updated")
    assert entry.find(f"{ATOM}link").get("href").endswith(article.get_absolute_url())


def test_alliance_page_shows_its_latest_news(client):
    elderly = alliance("elderly")
    about = ArticleFactory(title="为老服务联盟季度培训回顾")
    about.related_alliances.set([elderly])
    ArticleFactory(
        title="致为老服务联盟成员的通知",
        category=Article.Category.NOTICE,
        audience="alliance",
        audience_alliance=elderly,
    )
    ArticleFactory(title="与联盟无关的新闻")
    body = client.get(reverse("alliances:detail", kwargs={"code": "elderly"})).content.decode()
    assert "为老服务联盟季度培训回顾" in body
    assert "致为老服务联盟成员的通知" in body
    assert "与联盟无关的新闻" not in body


def test_home_block_tag_lists_the_latest(client):
    from django.template import Context, Template

    ArticleFactory(title="首页新闻")
    html = Template("{% load news_tags %}{% news_latest 3 %}").render(Context({}))
    assert "首页新闻" in html
