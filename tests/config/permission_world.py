"""The world the permission walk runs in: every role, objects of org A and org B.

Kept apart from the walk so its table of expectations stays readable.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliances.models import Alliance, AllianceMembership
from events.models import Event
from federation.models import Invitation, OrganisationMember
from funds import services as fund_services
from funds.chart import seed_spring_bud_fund
from funds.models import Account, Fund, GrantAttachment, Pledge
from tests.alliances.factories import secretary_of
from tests.catalogue.factories import OfferingFactory
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    StaffFactory,
    UserFactory,
)
from tests.funds.factories import FundAuditorFactory, FundManagerFactory, give, grant_under_review
from tests.news.factories import ArticleFactory

ROLES = (
    "anonymous",
    "member_a",
    "admin_a",
    "admin_b",
    "secretary",
    "federation_staff",
    "fund_manager",
    "fund_auditor",
    "superuser",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)


def _people(org_a, org_b) -> dict:
    users = {"anonymous": None}
    users["member_a"] = UserFactory()
    OrganisationMemberFactory(organisation=org_a, user=users["member_a"])
    for key, org in (("admin_a", org_a), ("admin_b", org_b)):
        users[key] = OrgAdminFactory(organisation=org).user
    users["secretary"] = secretary_of("elderly")
    users["federation_staff"] = FederationStaffFactory()
    users["fund_manager"] = FundManagerFactory()
    users["fund_auditor"] = FundAuditorFactory()
    users["superuser"] = StaffFactory(is_superuser=True)
    return users


def _fund_objects(fund, users, org_a) -> dict:
    manager = users["fund_manager"]
    donation = give(fund, manager)
    pledge = fund_services.pledge_create(
        fund=fund,
        new_donor=fund_services.NewDonor(kind="company", name="静安测试企业（虚构）"),
        description="月捐",
        income_kind=Pledge.IncomeKind.DONATION,
        expected_amount=Decimal("100.00"),
        starts_on=timezone.localdate(),
        instalment_count=2,
        acting_user=manager,
    )
    grant = grant_under_review(fund, users["admin_a"], org_a, manager)
    attachment = GrantAttachment.objects.create(
        grant=grant,
        kind=GrantAttachment.Kind.APPLICATION,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan of org A"),
        original_name="plan.pdf",
        uploaded_by=users["admin_a"],
    )
    return {
        "fund": fund.code,
        "number": donation.entry.number,
        "donation": donation.pk,
        "pledge": pledge.pk,
        "instalment": pledge.instalments.order_by("pk").first().pk,
        "grant": grant.pk,
        "attachment": attachment.pk,
    }


def build_world() -> World:
    org_a = OrganisationFactory(name="静安甲社会组织服务中心", slug="org-a")
    org_b = OrganisationFactory(name="静安乙社会组织服务中心", slug="org-b")
    users = _people(org_a, org_b)
    elderly = Alliance.objects.get(code="elderly")
    event = EventFactory(alliance=elderly, slug="walk-event")
    registration = RegistrationFactory(
        event=event, participant=ParticipantFactory(organisation=org_a)
    )
    member_event = EventFactory(
        organisation=org_a, slug="walk-member-event", status=Event.Status.DRAFT
    )
    membership = AllianceMembership.objects.create(
        organisation=org_a, alliance=elderly, status=AllianceMembership.Status.PENDING
    )
    invitation = Invitation.objects.create(
        organisation=org_a,
        email="invitee@example.com",
        invited_by=users["admin_a"],
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    offering = OfferingFactory(organisation=org_a)
    article = ArticleFactory()
    fund = seed_spring_bud_fund(Fund, Account)
    world = World(users=users)
    world.kwargs = {
        "org_slug": org_a.slug,
        "street_code": org_a.street.code,
        "event": event.slug,
        "registration": registration.pk,
        "participant": registration.participant_id,
        "ticket": registration.token,
        "invitation_token": invitation.token,
        "member_event": member_event.pk,
        "event_pk": event.pk,
        "membership": membership.pk,
        "invitation": invitation.pk,
        "member": OrganisationMember.objects.get(user=users["member_a"]).pk,
        "offering": offering.pk,
        "article": article.slug,
        "year": timezone.localdate().year,
        **_fund_objects(fund, users, org_a),
    }
    return world
