"""Writes for the kernel, one module per subject; import them from here.

- ``accounts``: users created by staff or the demo;
- ``registry``: applications, staff entries, profile edits, change requests;
- ``lifecycle``: approve, reject, suspend, lapse, reinstate, withdraw;
- ``imports``: spreadsheet imports;
- ``members``: roles, removals and invitations;
- ``inspections``: annual inspections;
- ``hubs``: street hubs, their staff and first-level recommendations.
"""

from ._common import DETAIL_FIELDS, REVIEWED_FIELDS, STAFF_ONLY_FIELDS, check_credit_code_rules
from .accounts import user_create_verified, user_name_clean, user_profile_update
from .hubs import (
    hub_profile_update,
    hub_recommendation_record,
    hub_settings_update,
    hub_staff_add,
    hub_staff_remove,
)
from .imports import OrganisationImportEntry, OrganisationImportOutcome, organisation_import
from .inspections import annual_inspection_record, annual_inspection_submit
from .lifecycle import (
    organisation_approve,
    organisation_lapse,
    organisation_reinstate,
    organisation_reject,
    organisation_suspend,
    organisation_withdraw,
)
from .members import (
    INVITATION_LIFETIME,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    member_remove,
    member_role_change,
)
from .registry import (
    organisation_apply,
    organisation_change_request_approve,
    organisation_change_request_reject,
    organisation_profile_update,
    organisation_register,
    organisation_update,
)

__all__ = [
    "DETAIL_FIELDS",
    "REVIEWED_FIELDS",
    "STAFF_ONLY_FIELDS",
    "check_credit_code_rules",
    "INVITATION_LIFETIME",
    "OrganisationImportEntry",
    "OrganisationImportOutcome",
    "annual_inspection_record",
    "hub_profile_update",
    "user_name_clean",
    "user_profile_update",
    "hub_recommendation_record",
    "hub_settings_update",
    "hub_staff_add",
    "hub_staff_remove",
    "annual_inspection_submit",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "member_remove",
    "member_role_change",
    "organisation_apply",
    "organisation_approve",
    "organisation_change_request_approve",
    "organisation_change_request_reject",
    "organisation_import",
    "organisation_lapse",
    "organisation_profile_update",
    "organisation_register",
    "organisation_reinstate",
    "organisation_reject",
    "organisation_suspend",
    "organisation_update",
    "organisation_withdraw",
    "user_create_verified",
]
