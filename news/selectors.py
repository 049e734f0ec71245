"""Reads for news pages: published items only, pinned first, related rows prefetched."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from alliances.models import Alliance, AllianceMembership
from events.models import Event
from federation.models import Organisation, OrganisationMember, Street, User

from .models import Article


def article_list_public(
    *, category: str = "", now: datetime.datetime | None = None
) -> QuerySet[Article]:
    """Published items for ``/news/``: pinned first, then newest."""
    queryset = Article.objects.published(now)
    if category:
        queryset = queryset.filter(category=category)
    return queryset.order_by("-is_pinned", "-published_at", "-pk")


def article_get_public(*, slug: str) -> Article:
    """One published item with its related events, alliances and streets; 404 otherwise."""
    events = Event.objects.listed().order_by("starts_at", "pk")
    article = (
        Article.objects.published()
        .select_related("audience_alliance", "audience_street")
        .prefetch_related(
            Prefetch("related_events", queryset=events),
            Prefetch("related_alliances", queryset=Alliance.objects.order_by("position")),
            Prefetch("related_streets", queryset=Street.objects.order_by("code")),
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404
    return article


def news_list_latest(limit: int = 5) -> list[Article]:
    """The newest published items for the home page (pinned ones do not jump the queue)."""
    return list(Article.objects.published().order_by("-published_at", "-pk")[:limit])


def article_list_for_alliance(*, alliance: Alliance, limit: int = 5) -> list[Article]:
    """Published items about an alliance or addressed to its members, newest first."""
    return list(
        Article.objects.published()
        .filter(Q(related_alliances=alliance) | Q(audience_alliance=alliance))
        .distinct()
        .order_by("-published_at", "-pk")[:limit]
    )


def article_list_for_street(*, street: Street, limit: int = 5) -> list[Article]:
    """Published items about a street or addressed to its organisations, newest first."""
    return list(
        Article.objects.published()
        .filter(Q(related_streets=street) | Q(audience_street=street))
        .distinct()
        .order_by("-published_at", "-pk")[:limit]
    )


def article_list_feed(*, limit: int = 20) -> list[Article]:
    return list(Article.objects.published().order_by("-published_at", "-pk")[:limit])


def notice_organisations(article: Article) -> QuerySet[Organisation]:
    """The active member organisations a notice is addressed to (none when unaddressed)."""
    organisations = Organisation.objects.active()
    if article.audience == Article.Audience.ALL_MEMBERS:
        return organisations
    if article.audience == Article.Audience.ALLIANCE:
        member_ids = AllianceMembership.objects.active().filter(
            alliance_id=article.audience_alliance_id
        )
        return organisations.filter(pk__in=member_ids.values("organisation_id"))
    if article.audience == Article.Audience.STREET:
        return organisations.filter(street_id=article.audience_street_id)
    return organisations.none()


def notice_recipients(article: Article) -> QuerySet[User]:
    """Active org admins of the addressed organisations, each once, in id order."""
    admin_of = OrganisationMember.objects.filter(
        role=OrganisationMember.Role.ADMIN,
        organisation__in=notice_organisations(article),
    )
    return User.objects.filter(is_active=True, pk__in=admin_of.values("user_id")).order_by("pk")
