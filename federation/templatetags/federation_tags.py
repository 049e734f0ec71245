from django import template

from ..models import Organisation

register = template.Library()


@register.inclusion_tag("federation/_home_members.html")
def member_summary():
    """The home page's member-organisations box: how many, and where to look or join."""
    return {"member_count": Organisation.objects.active().count()}
