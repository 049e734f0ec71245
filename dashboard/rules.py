"""Who may see the dashboard and download evidence packs (django-rules).

Federation staff (the group 联合会工作人员) and street hubs' staff (their street) see the dashboard and the annual report
and may download any organisation's evidence pack; an organisation's admins
download their own. Superusers pass every check.
"""

import rules

from federation.models import OrganisationMember
from federation.rules import is_federation_staff, is_hub_staff


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation=organisation, role=OrganisationMember.Role.ADMIN
    ).exists()


# The dashboard, its tables and the annual report (.xlsx, PDF); a street hub's staff
# see their own street only (dashboard.selectors.street_forced_for).
rules.add_perm("dashboard.view_dashboard", is_federation_staff | is_hub_staff)
# An organisation's evidence pack: staff for any, its own admins for theirs.
rules.add_perm("dashboard.download_evidence_pack", is_federation_staff | is_organisation_admin)
