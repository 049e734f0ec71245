import datetime
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value):
    """Money and hours with two places and thousands separators; anything else as it is."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@register.filter
def is_short(value) -> bool:
    """Numbers and dates: kept on one line in a table cell (the text wraps around them)."""
    return isinstance(value, Decimal | int | datetime.date) and not isinstance(value, bool)
