"""The back office for news: the staff group's editors only, every write through the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from news.models import Article
from notifications.models import Message
from tests.federation.factories import FederationStaffFactory, OrgAdminFactory, StaffFactory

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_staff_outside_the_staff_group_do_not_see_news(client):
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:news_article_changelist")).status_code == 403
    assert client.get(reverse("admin:news_article_add")).status_code == 403


def test_editor_adds_a_notice_and_publishes_it_with_the_action(client):
    editor = FederationStaffFactory()
    admin = OrgAdminFactory().user
    client.force_login(editor)
    response = client.post(
        reverse("admin:news_article_add"),
        {
            "category": "notice",
            "title": "关于年检的通知",
            "slug": "",
            "summary": "",
            "body": "请按时年检。",
            "published_at_0": "",
            "published_at_1": "",
            "audience": "all_members",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="关于年检的通知")
    assert article.status == Article.Status.DRAFT and article.created_by == editor
    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert list(Message.objects.values_list("recipient", flat=True)) == [admin.pk]


def test_admin_shows_an_incomplete_audience_as_a_form_error(client):
    client.force_login(FederationStaffFactory())
    response = client.post(
        reverse("admin:news_article_add"),
        {"category": "news", "title": "新闻", "body": "", "audience": "alliance"},
    )
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_published_items_cannot_be_deleted(client):
    client.force_login(FederationStaffFactory())
    article = ArticleFactory()
    response = client.get(reverse("admin:news_article_delete", args=[article.pk]))
    assert response.status_code == 403
