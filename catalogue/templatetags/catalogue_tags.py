from django import template

from events.markup import render_markdown

from ..selectors import offering_list_for_profile

register = template.Library()


@register.filter
def offering_markdown(text: str):
    """``{{ offering.description|offering_markdown }}``: sanitised HTML."""
    return render_markdown(text)


@register.simple_tag
def organisation_offerings(organisation):
    """An organisation's published offerings (its public profile)."""
    return offering_list_for_profile(organisation=organisation)
