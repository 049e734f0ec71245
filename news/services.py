"""Writes for news and notices: create, edit, publish, withdraw.

Invariants owned here:

- Only news editors (``news.manage_article``: active federation staff) write
  or publish; everyone else gets PermissionDenied.
- Only a notice is addressed; an alliance or street audience names its
  alliance or street (also check constraints).
- A published notice reaches each addressed org admin exactly once: one
  outbox message per (notice, user), deduplicated by key, so publishing
  again after a withdrawal or a user administering two addressed
  organisations sends nothing more.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.pagecache import page_cache_invalidates
from federation.models import User
from notifications.services import message_enqueue

from .models import Article
from .selectors import notice_recipients

ARTICLE_FIELDS = (
    "title",
    "slug",
    "category",
    "summary",
    "body",
    "cover_image",
    "published_at",
    "is_pinned",
    "audience",
    "audience_alliance",
    "audience_street",
)
ARTICLE_RELATIONS = ("related_events", "related_alliances", "related_streets")
ARTICLE_EDITABLE_FIELDS = ARTICLE_FIELDS + ARTICLE_RELATIONS


def _require_editor(user: User | None) -> None:
    if user is None or not user.has_perm("news.manage_article"):
        raise PermissionDenied


def _slug_for(article: Article) -> str:
    from pypinyin import lazy_pinyin  # ~55 MB: loaded by the first write that needs it

    base = slugify(" ".join(lazy_pinyin(article.title)))[:70] or "article"
    day = timezone.localtime(article.published_at or timezone.now()).strftime("%Y%m%d")
    base = f"{day}-{base}".strip("-")
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def article_check_rules(article: Article) -> None:
    """Audience rules as field errors (forms call it too)."""
    errors: dict[str, ValidationError] = {}
    if article.audience and article.category != Article.Category.NOTICE:
        errors["audience"] = ValidationError(
            _("Only a notice is addressed to organisations."), code="audience_not_notice"
        )
    elif article.audience == Article.Audience.ALLIANCE and not article.audience_alliance_id:
        errors["audience_alliance"] = ValidationError(
            _("Choose the alliance whose members receive the notice."), code="alliance_required"
        )
    elif article.audience == Article.Audience.STREET and not article.audience_street_id:
        errors["audience_street"] = ValidationError(
            _("Choose the street whose organisations receive the notice."), code="street_required"
        )
    if errors:
        raise ValidationError(errors)
    # Keep only the target the audience uses.
    if article.audience != Article.Audience.ALLIANCE:
        article.audience_alliance = None
    if article.audience != Article.Audience.STREET:
        article.audience_street = None


def _apply(article: Article, fields: dict) -> dict:
    unknown = set(fields) - set(ARTICLE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name in ARTICLE_FIELDS:
        if name in fields:
            value = fields[name]
            Article._meta.get_field(name).save_form_data(article, value)
    return {name: fields[name] for name in ARTICLE_RELATIONS if name in fields}


def _save(article: Article, relations: dict) -> Article:
    article_check_rules(article)
    if not article.slug:
        article.slug = _slug_for(article)
    article.full_clean()
    article.save()
    for name, values in relations.items():
        getattr(article, name).set(values or [])
    return article


@transaction.atomic(durable=True)
@page_cache_invalidates("news")
def article_create(*, acting_user: User, **fields) -> Article:
    """A new draft news item or notice; refuses anyone but a news editor."""
    _require_editor(acting_user)
    article = Article(created_by=acting_user)
    relations = _apply(article, fields)
    return _save(article, relations)


@transaction.atomic(durable=True)
@page_cache_invalidates("news")
def article_update(*, article: Article, acting_user: User, **fields) -> Article:
    """Edit an item; once a notice has gone out its audience stays (audience_locked)."""
    _require_editor(acting_user)
    locked = Article.objects.select_for_update(no_key=True).get(pk=article.pk)
    before = (locked.audience, locked.audience_alliance_id, locked.audience_street_id)
    relations = _apply(locked, fields)
    after = (locked.audience, locked.audience_alliance_id, locked.audience_street_id)
    if locked.notified_at and after != before:
        raise ValidationError(
            {
                "audience": ValidationError(
                    _("This notice has already been sent; its audience cannot change."),
                    code="audience_locked",
                )
            }
        )
    return _save(locked, relations)


@transaction.atomic(durable=True)
@page_cache_invalidates("news")
def article_publish(*, article: Article, acting_user: User) -> Article:
    """Publish a draft (at its publish date, or now) and mail an addressed notice's org admins.

    Refuses with PermissionDenied for anyone but a news editor, and already_published.
    """
    _require_editor(acting_user)
    locked = Article.objects.select_for_update(no_key=True).get(pk=article.pk)
    if locked.status == Article.Status.PUBLISHED:
        raise ValidationError(_("This item is already published."), code="already_published")
    now = timezone.now()
    locked.status = Article.Status.PUBLISHED
    locked.published_at = locked.published_at or now
    if locked.audience and locked.notified_at is None:
        _notify_addressed(locked, due_at=max(locked.published_at, now))
        locked.notified_at = now
    locked.save(update_fields=["status", "published_at", "notified_at", "updated_at"])
    return locked


@transaction.atomic(durable=True)
@page_cache_invalidates("news")
def article_unpublish(*, article: Article, acting_user: User) -> Article:
    """Take a published item off the site (back to draft); refuses not_published."""
    _require_editor(acting_user)
    locked = Article.objects.select_for_update(no_key=True).get(pk=article.pk)
    if locked.status != Article.Status.PUBLISHED:
        raise ValidationError(_("This item is not published."), code="not_published")
    locked.status = Article.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _notify_addressed(article: Article, *, due_at) -> int:
    """One outbox message per addressed org admin; the caller holds the article lock."""
    assert transaction.get_connection().in_atomic_block
    context = {
        "title": article.title,
        "summary": article.summary,
        "audience": article.audience_label,
        "url": absolute_url(article.get_absolute_url()),
    }
    sent = 0
    for user in notice_recipients(article):
        message = message_enqueue(
            kind="news_notice",
            recipient=user,
            template="news/email/notice",
            context=context,
            due_at=due_at,
            dedupe_key=f"news_notice:{article.pk}:user:{user.pk}",
        )
        sent += message is not None
    return sent
