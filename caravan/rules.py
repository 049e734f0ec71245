"""Who may do what with the caravan (django-rules; superusers pass every check).

Federation staff (the group 联合会工作人员) plan series, generate caravans,
confirm or decline booths, cancel a day and see the matrix and totals; an
organisation's admins apply for booths, withdraw and record people served; the
staff of the street hub where a caravan is held record people served at its
booths too (asked through ``federation.act_for_street``, never ``is_staff``).
Posting a sale's proceeds is the fund managers' (``funds.manage_fund``).
"""

import rules

from federation.models import OrganisationMember
from federation.rules import is_federation_staff


@rules.predicate
def is_host_org_admin(user, application) -> bool:
    if application is None or not user.is_authenticated:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation_id=application.organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()


@rules.predicate
def is_hub_staff_of_caravan_street(user, application) -> bool:
    """Staff of the hub of the street the booth's caravan is held in."""
    if application is None or not user.is_authenticated:
        return False
    return user.has_perm("federation.act_for_street", application.slot.caravan.event)


# Series, generation, booth decisions, cancellation, matrix, totals, history import.
rules.add_perm("caravan.manage_caravan", is_federation_staff)
# Withdraw a booth: the host organisation's admins (and staff).
rules.add_perm("caravan.host_booth", is_federation_staff | is_host_org_admin)
# Record people served at a booth: the host's admins, staff, and the street's hub staff.
rules.add_perm(
    "caravan.record_people_served",
    is_federation_staff | is_host_org_admin | is_hub_staff_of_caravan_street,
)
