"""The federation's roles (django-rules): one predicate per role, asked everywhere.

``is_staff`` alone means only "may log in to /admin/": the fund manager and the fund
auditor have it too. Federation staff are the members of the group 联合会工作人员
(migration ``federation/0005``); superusers pass every check.
"""

import rules

from .models import STAFF_GROUP_NAME

_in_staff_group = rules.is_group_member(STAFF_GROUP_NAME)


@rules.predicate
def is_federation_staff(user) -> bool:
    """Active superuser, or an active staff account in the federation staff group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and _in_staff_group(user))


# Federation staff work: decide memberships, run check-in and attendance, see the
# alliance matrix, hours and quarterly plan, review members' events and offerings.
rules.add_perm("federation.act_as_staff", is_federation_staff)


def user_is_federation_staff(user) -> bool:
    """The one question every app asks before staff-only work."""
    return bool(is_federation_staff(user))
