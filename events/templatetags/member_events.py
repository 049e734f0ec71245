"""Tags for alliance-only activities on the event page (the view stays as it is)."""

from django import template

from federation.access import current_membership

from .. import selectors_member

register = template.Library()


@register.simple_tag(takes_context=True)
def alliance_member_may_register(context, event) -> bool:
    """True unless the event is alliance-only and the current organisation is not a member."""
    if not event.is_alliance_only:
        return True
    request = context.get("request")
    membership = current_membership(request) if request is not None else None
    if membership is None:
        return False
    return selectors_member.organisation_is_alliance_member(
        organisation=membership.organisation, alliance_id=event.alliance_id
    )
