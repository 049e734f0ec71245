import datetime

import factory
from django.utils import timezone

from news.models import Article


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
