"""News blocks for other apps' pages (alliances, the home page) without them importing news."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def news_for_alliance(alliance, limit: int = 5):
    return selectors.article_list_for_alliance(alliance=alliance, limit=limit)


@register.simple_tag
def news_for_street(street, limit: int = 5):
    return selectors.article_list_for_street(street=street, limit=limit)


@register.inclusion_tag("news/includes/latest_news.html")
def news_latest(limit: int = 5):
    """The home page block: ``{% load news_tags %}{% news_latest 5 %}``."""
    return {"articles": selectors.news_list_latest(limit)}
