from django import template
from django.urls import reverse

from .. import selectors
from ..models import Organisation

register = template.Library()


@register.inclusion_tag("federation/_home_members.html")
def member_summary():
    """The home page's member-organisations box: how many, and where to look or join."""
    return {"member_count": Organisation.objects.active().count()}


@register.simple_tag
def staff_waiting():
    """What waits for the staff: membership applications and change requests, with links."""
    counts = selectors.staff_waiting_counts()
    organisations = reverse("admin:federation_organisation_changelist")
    changes = reverse("admin:federation_organisationchangerequest_changelist")
    return {
        "applications": counts["applications"],
        "applications_url": f"{organisations}?status__exact=applied",
        "change_requests": counts["change_requests"],
        "change_requests_url": f"{changes}?status__exact=pending",
    }
