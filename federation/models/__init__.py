"""The kernel: users, streets, service fields, organisations and their people."""

from .accounts import STAFF_GROUP_NAME, User, UserManager
from .hubs import HubRecommendation, HubStaff, StreetHub
from .inspections import AnnualInspection, InspectionDeadline
from .invitations import Invitation
from .organisations import (
    MembershipEvent,
    Organisation,
    OrganisationChangeRequest,
    OrganisationMember,
    OrganisationQuerySet,
)
from .reference import BilingualNameMixin, ServiceField, Street

__all__ = [
    "STAFF_GROUP_NAME",
    "AnnualInspection",
    "BilingualNameMixin",
    "HubRecommendation",
    "HubStaff",
    "InspectionDeadline",
    "Invitation",
    "MembershipEvent",
    "Organisation",
    "OrganisationChangeRequest",
    "OrganisationMember",
    "OrganisationQuerySet",
    "ServiceField",
    "Street",
    "StreetHub",
    "User",
    "UserManager",
]
