"""Template helpers for the fund: ``|yuan`` and the home page's fund totals."""

from decimal import Decimal

from django import template
from django.http import Http404

from .. import selectors, selectors_shown
from ..money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    """``¥36,000.00``; empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("money is Decimal")
    return format_yuan(Decimal(value))


@register.filter
def percent(value) -> str:
    """A share as people write it: ``20``, ``12.5`` (never ``2E+1``); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("shares are Decimal")
    return format(Decimal(value).normalize(), "f")


@register.inclusion_tag("funds/_home_totals.html")
def fund_home_totals():
    """A small box of the public fund's totals for the home page."""
    try:
        fund = selectors.fund_get_public()
    except Http404:
        return {"fund": None}
    return {"fund": fund, "summary": selectors_shown.fund_summary_shown(fund=fund)}
