"""Who may do what with volunteers and their certificates (django-rules).

Federation staff (the group 联合会工作人员) see every volunteer, merge
volunteers and issue certificates over all rows; an organisation's admins
issue certificates over the rows their organisation recorded
(“谁组织谁记录，谁记录谁证明”).
"""

import rules

from federation.models import OrganisationMember
from federation.rules import is_federation_staff


@rules.predicate
def is_org_admin_of(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation=organisation, role=OrganisationMember.Role.ADMIN
    ).exists()


# See every volunteer and total, merge two volunteers, issue over all organisations' rows.
rules.add_perm("volunteers.manage_volunteers", is_federation_staff)
# Issue a certificate in an organisation's name (the object): staff or its admins.
rules.add_perm("volunteers.issue_certificate", is_federation_staff | is_org_admin_of)
