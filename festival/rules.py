"""Who may do what with the festival and honours (django-rules).

Federation staff (the group 联合会工作人员) count walk-ins, decide
nominations, award and revoke; an organisation's admins nominate their own
people or their organisation, and count walk-ins at activities it runs.
"""

import rules

from federation.models import OrganisationMember
from federation.rules import is_federation_staff


def _is_admin(user, organisation_id) -> bool:
    if organisation_id is None or not user.is_authenticated:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation_id=organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()


@rules.predicate
def is_org_admin_of(user, organisation) -> bool:
    return organisation is not None and _is_admin(user, organisation.pk)


@rules.predicate
def is_activity_org_admin(user, activity) -> bool:
    return activity is not None and _is_admin(user, activity.organisation_id)


# Count walk-ins at a festival activity (the object): staff, or the organising org's admins.
rules.add_perm("festival.count_walk_ins", is_federation_staff | is_activity_org_admin)
# Decide nominations, award, revoke, see every nomination.
rules.add_perm("festival.manage_honours", is_federation_staff)
# Nominate for an organisation (the object): its admins nominate its people or itself.
rules.add_perm("festival.nominate", is_federation_staff | is_org_admin_of)
