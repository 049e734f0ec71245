"""The back office for the kernel. Every write with a rule goes through the services."""

from .history import InvitationAdmin, MembershipEventAdmin
from .organisations import (
    AllianceListFilter,
    AnnualInspectionInline,
    ChangeRequestInline,
    MembershipEventInline,
    OrganisationAdmin,
    OrganisationImportForm,
    OrganisationMemberInline,
)
from .reviews import AnnualInspectionAdmin, OrganisationChangeRequestAdmin
from .users import ServiceFieldAdmin, StreetAdmin, UserAdmin

__all__ = [
    "UserAdmin",
    "StreetAdmin",
    "ServiceFieldAdmin",
    "AllianceListFilter",
    "OrganisationImportForm",
    "OrganisationMemberInline",
    "MembershipEventInline",
    "AnnualInspectionInline",
    "ChangeRequestInline",
    "OrganisationAdmin",
    "AnnualInspectionAdmin",
    "OrganisationChangeRequestAdmin",
    "MembershipEventAdmin",
    "InvitationAdmin",
]
