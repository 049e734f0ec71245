"""The alliance pages' activities, filled from events selectors.

Alliances do not import events (events depend on alliances); their templates
``{% load alliance_activities %}`` and call these tags in their waiting blocks.
"""

from django import template

from core.timezone import this_year
from federation.rules import user_is_federation_staff

from .. import selectors

register = template.Library()

_SUMMARIES_KEY = "alliance_activities.summaries"


@register.inclusion_tag("events/includes/alliance_activities.html", takes_context=True)
def alliance_activities(context, alliance):
    """``/alliances/<code>/``: upcoming and past activities and this year's figures."""
    return {
        "alliance": alliance,
        "upcoming": selectors.event_list_upcoming_for_alliance(alliance=alliance),
        "past": selectors.event_list_past_for_alliance(alliance=alliance),
        "figures": selectors.alliance_year_figures(alliance=alliance, year=this_year()),
        "request": context.get("request"),
    }


@register.inclusion_tag("events/includes/alliance_card_activities.html", takes_context=True)
def alliance_card_activities(context, alliance):
    """One card on ``/alliances/``: this year's activities; one query for all the cards."""
    # The render context lives for one page render: the first card reads every alliance.
    cache = context.render_context
    if _SUMMARIES_KEY not in cache:
        year = this_year()
        cache[_SUMMARIES_KEY] = (year, selectors.alliance_activity_summaries(year=year))
    year, summaries = cache[_SUMMARIES_KEY]
    return {
        "year": year,
        "summary": summaries.get(alliance.pk) or selectors.AllianceYearSummary(),
    }


@register.inclusion_tag("events/includes/alliance_quarter_plan_row.html", takes_context=True)
def alliance_quarter_plan_row(context, alliance):
    """The alliance's own row of this year's quarterly plan (its manage page)."""
    year = this_year()
    user = context.get("user")
    (row,) = selectors.alliance_quarter_plan(year=year, alliance=alliance)
    return {
        "year": year,
        "row": row,
        "is_staff": user_is_federation_staff(user),
        "is_secretary": bool(user and alliance.secretary_id == user.pk),
    }
