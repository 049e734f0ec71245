"""The federation's roles (django-rules): one predicate per role, asked everywhere.

``is_staff`` alone means only "may log in to /admin/": the fund manager and the fund
auditor have it too. Federation staff are the members of the group 联合会工作人员
(migration ``federation/0005``); superusers pass every check.

A hub's staff (``HubStaff``: one person, one hub) act for their own street
only; federation staff see every hub and decide. Other apps ask these
predicates (events: check-in at events in the street; a caravan app: service
records at caravans in the street).
"""

import rules

from .models import STAFF_GROUP_NAME
from .selectors_hubs import hub_get_for_user, user_is_hub_staff_for_street

_in_staff_group = rules.is_group_member(STAFF_GROUP_NAME)


@rules.predicate
def is_federation_staff(user) -> bool:
    """Active superuser, or an active staff account in the federation staff group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and _in_staff_group(user))


def user_is_federation_staff(user) -> bool:
    """The one question every app asks before federation-staff work."""
    return bool(is_federation_staff(user))


@rules.predicate
def is_hub_staff(user) -> bool:
    return hub_get_for_user(user=user) is not None


@rules.predicate
def is_hub_staff_of_street(user, obj) -> bool:
    """Staff of the hub of ``obj``'s street (``obj``: a Street, or anything with ``street_id``)."""
    if obj is None:
        return False
    street_id = getattr(obj, "street_id", None)
    if street_id is None and obj.__class__.__name__ == "Street":
        street_id = obj.pk
    return user_is_hub_staff_for_street(user=user, street_id=street_id)


# Federation staff work: decide memberships, run check-in and attendance, see the
# alliance matrix, hours and quarterly plan, review members' events and offerings.
rules.add_perm("federation.act_as_staff", is_federation_staff)
# The hub area (/streets/hub/): the registry, applications, inspections, events, figures.
rules.add_perm("federation.use_hub_area", is_hub_staff)
# Act for one street (an organisation, event or caravan held there).
rules.add_perm("federation.act_for_street", is_hub_staff_of_street)
# See every hub's recommendations and approve hub events.
rules.add_perm("federation.review_hub_work", is_federation_staff)
