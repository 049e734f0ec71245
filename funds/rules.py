"""Who may do what with the fund (django-rules; superusers pass every check)."""

import rules

from federation.models import OrganisationMember

from .roles import FUND_AUDITORS, FUND_MANAGERS

is_fund_manager = rules.is_group_member(FUND_MANAGERS)
is_fund_auditor = rules.is_group_member(FUND_AUDITORS)


@rules.predicate
def is_grant_org_admin(user, grant) -> bool:
    if grant is None:
        return False
    return OrganisationMember.objects.filter(
        user=user, organisation_id=grant.organisation_id, role=OrganisationMember.Role.ADMIN
    ).exists()


is_active_staff = rules.is_active & rules.is_staff

# Post entries, record gifts, review, approve and pay grants, close years, import.
rules.add_perm("funds.manage_fund", is_active_staff & is_fund_manager)
# Read the ledger, the reports and the exports; change nothing.
rules.add_perm("funds.view_ledger", is_active_staff & (is_fund_manager | is_fund_auditor))
# A grant application: the fund's people, or the applying organisation's admins.
rules.add_perm(
    "funds.view_grant",
    (is_active_staff & (is_fund_manager | is_fund_auditor)) | is_grant_org_admin,
)
