from django import template

from ..selectors import festival_figures

register = template.Library()


@register.simple_tag
def festival_home_figures():
    """``{% festival_home_figures as figures %}``: editions held and participants in all."""
    return festival_figures()
