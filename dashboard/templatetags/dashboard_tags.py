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
    return value
