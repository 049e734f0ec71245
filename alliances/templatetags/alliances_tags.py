from django import template

from alliances.selectors import alliance_list_public

register = template.Library()


@register.inclusion_tag("alliances/_alliance_cards.html")
def alliance_cards() -> dict:
    """The seven alliances as small cards with their member counts (home page)."""
    return {"alliances": alliance_list_public()}
