"""News items and notices (新闻动态 / 通知公告) that federation staff publish.

A notice may be addressed to every member organisation, to one alliance's
members or to one street's organisations; ``services.article_publish`` puts
one e-mail per addressed org admin in the outbox.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from events.models import Event
from events.validators import validate_cover_image
from federation.models import Street


class ArticleQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None):
        """Visible to the public: published, and the publish date has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Article(models.Model):
    """One news item or notice."""

    class Category(models.TextChoices):
        NEWS = "news", _("news")
        NOTICE = "notice", _("notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Audience(models.TextChoices):
        NONE = "", _("not addressed to anyone")
        ALL_MEMBERS = "all_members", _("all member organisations")
        ALLIANCE = "alliance", _("the member organisations of one alliance")
        STREET = "street", _("the member organisations of one street")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, default=Category.NEWS
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown; unsafe HTML is removed."))
    cover_image = models.ImageField(
        _("cover image"),
        upload_to="news/covers/%Y/",
        blank=True,
        validators=[validate_cover_image],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("Blank: when it is published. A later date keeps it hidden until then."),
    )
    is_pinned = models.BooleanField(_("pinned to the top"), default=False)
    related_events = models.ManyToManyField(
        Event, blank=True, related_name="articles", verbose_name=_("related events")
    )
    related_alliances = models.ManyToManyField(
        Alliance, blank=True, related_name="articles", verbose_name=_("related alliances")
    )
    related_streets = models.ManyToManyField(
        Street, blank=True, related_name="articles", verbose_name=_("related streets")
    )
    audience = models.CharField(
        _("addressed to"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.NONE,
        blank=True,
        help_text=_("Notices only: whose org admins receive it by e-mail."),
    )
    audience_alliance = models.ForeignKey(
        Alliance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed alliance"),
    )
    audience_street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed street"),
    )
    notified_at = models.DateTimeField(_("org admins notified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("news and notices")
        ordering = ["-is_pinned", "-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="news_article_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="") | Q(category="notice"),
                name="news_article_only_notices_addressed",
            ),
            models.CheckConstraint(
                condition=Q(audience="alliance", audience_alliance__isnull=False)
                | (~Q(audience="alliance") & Q(audience_alliance__isnull=True)),
                name="news_article_alliance_audience_has_alliance",
            ),
            models.CheckConstraint(
                condition=Q(audience="street", audience_street__isnull=False)
                | (~Q(audience="street") & Q(audience_street__isnull=True)),
                name="news_article_street_audience_has_street",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_article_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:article-detail", kwargs={"slug": self.slug})

    @property
    def is_notice(self) -> bool:
        return self.category == self.Category.NOTICE

    @property
    def audience_label(self) -> str:
        """Whom a notice is addressed to, in words."""
        if self.audience == self.Audience.ALLIANCE and self.audience_alliance_id:
            return str(self.audience_alliance)
        if self.audience == self.Audience.STREET and self.audience_street_id:
            return str(self.audience_street)
        return str(self.get_audience_display()) if self.audience else ""
