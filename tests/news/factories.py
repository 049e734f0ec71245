import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from federation.models import STAFF_GROUP_NAME
from news.models import Article
from tests.federation.factories import StaffFactory


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published news item, written directly (for read tests)."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"社联会动态第{n}期（演示）")
    slug = factory.Sequence(lambda n: f"article-{n}")
    category = Article.Category.NEWS
    summary = "演示摘要"
    body = "演示正文"
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=1, minutes=n)
    )


def news_editor(**kwargs):
    """Active federation staff in the staff group: may write and publish."""
    user = StaffFactory(**kwargs)
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    user.groups.add(group)
    return user
