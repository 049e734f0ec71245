"""Who may do what with the catalogue (django-rules; superusers pass every check).

Federation staff (the group 联合会工作人员) review, edit any offering, build the
handbook and import; an organisation's admins keep their own offerings.
"""

import rules

from federation.models import OrganisationMember
from federation.rules import is_federation_staff


@rules.predicate
def is_offering_org_admin(user, offering) -> bool:
    if offering is None or not user.is_authenticated:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation_id=offering.organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()


@rules.predicate
def is_editable_by_organisation(user, offering) -> bool:
    return offering is not None and offering.is_editable_by_organisation


# Publish or return a submitted offering; edit any offering; build the handbook; import.
rules.add_perm("catalogue.review_offering", is_federation_staff)
# Change an offering: staff always, its organisation's admins while it is not under review
# or published.
rules.add_perm(
    "catalogue.edit_offering",
    is_federation_staff | (is_offering_org_admin & is_editable_by_organisation),
)
# Submit for review or withdraw: its organisation's admins (and staff).
rules.add_perm("catalogue.manage_offering", is_federation_staff | is_offering_org_admin)
