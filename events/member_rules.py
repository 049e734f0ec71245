"""Who may do what with member organisations' own events (django-rules).

Loaded from ``EventsConfig.ready()``; superusers pass every check.
"""

import rules

from federation.rules import is_federation_staff

from .selectors_member import user_is_event_org_admin


@rules.predicate
def is_event_org_admin(user, event) -> bool:
    if event is None:
        return False
    return user_is_event_org_admin(user=user, event=event)


is_event_reviewer = is_federation_staff

# Publish or return a member organisation's event after review.
rules.add_perm("events.review_member_event", is_event_reviewer)
# Edit, submit and run the attendance of the organisation's own event.
rules.add_perm("events.manage_member_event", is_event_org_admin)
# Export or erase one person's data on request (PIPL art. 45, 47): the admin actions on participants
# and visitor registrations (events.services.retention).
rules.add_perm("events.erase_personal_data", is_federation_staff)
rules.add_perm("events.export_personal_data", is_federation_staff)
