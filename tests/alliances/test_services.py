import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alliances import services
from alliances.models import AllianceMembership, AllianceMembershipChange
from federation.models import Organisation
from notifications.models import Message
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    UserFactory,
)

from .factories import AllianceMembershipFactory, alliance, secretary_of

pytestmark = pytest.mark.django_db

Status = AllianceMembership.Status


def _apply(admin, code="elderly", note=""):
    organisation = admin.organisation_memberships.get().organisation
    return services.alliance_membership_apply(
        organisation=organisation, alliance=alliance(code), note=note, acting_user=admin
    )


# --- apply ---------------------------------------------------------------------------


def test_apply_creates_pending_application_with_history_and_tells_the_secretary(
    django_capture_on_commit_callbacks,
):
    secretary = secretary_of("elderly", email="sec@example.com")
    admin = OrgAdminFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        membership = _apply(admin, note="我们服务社区长者")
    assert membership.status == Status.PENDING
    assert membership.applied_by == admin
    change = membership.changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "pending", admin)
    message = Message.objects.get(kind="alliance_application_received")
    assert message.recipient == secretary
    assert message.dedupe_key == f"alliance_application_received:{membership.pk}"
    assert [m.to for m in mail.outbox] == [["sec@example.com"]]
    assert membership.organisation.name in mail.outbox[0].subject
    assert "/alliances/elderly/manage/" in mail.outbox[0].body


def test_apply_without_a_secretary_sends_nothing():
    _apply(OrgAdminFactory().user)
    assert not Message.objects.filter(kind="alliance_application_received").exists()


def test_an_organisation_may_apply_to_several_alliances():
    admin = OrgAdminFactory().user
    _apply(admin, "elderly")
    _apply(admin, "youth")
    assert AllianceMembership.objects.filter(status=Status.PENDING).count() == 2


@pytest.mark.parametrize("status", ["applied", "suspended", "lapsed", "withdrawn", "rejected"])
def test_apply_refuses_an_organisation_that_is_not_an_active_member(status):
    admin = OrgAdminFactory(organisation=OrganisationFactory(status=status)).user
    with pytest.raises(ValidationError) as excinfo:
        _apply(admin)
    assert excinfo.value.code == "inactive_member"
    assert not AllianceMembership.objects.exists()


def test_apply_refuses_an_organisation_already_in_the_alliance():
    admin = OrgAdminFactory().user
    organisation = admin.organisation_memberships.get().organisation
    AllianceMembershipFactory(organisation=organisation, status=Status.ACTIVE)
    with pytest.raises(ValidationError) as excinfo:
        _apply(admin)
    assert excinfo.value.code == "already_member"


def test_apply_refuses_a_second_pending_application():
    admin = OrgAdminFactory().user
    _apply(admin)
    with pytest.raises(ValidationError) as excinfo:
        _apply(admin)
    assert excinfo.value.code == "already_applied"


def test_apply_refuses_an_org_member_who_is_not_admin_and_an_outsider():
    organisation = OrganisationFactory()
    member = UserFactory()
    OrganisationMemberFactory(organisation=organisation, user=member)
    for user in (member, UserFactory(), FederationStaffFactory()):
        with pytest.raises(ValidationError) as excinfo:
            services.alliance_membership_apply(
                organisation=organisation, alliance=alliance(), acting_user=user
            )
        assert excinfo.value.code == "not_org_admin"


def test_apply_again_after_leaving_makes_a_new_row_and_keeps_the_old():
    admin = OrgAdminFactory().user
    membership = _apply(admin)
    services.alliance_membership_leave(membership=membership, acting_user=admin)
    again = _apply(admin)
    assert again.pk != membership.pk
    membership.refresh_from_db()
    assert membership.status == Status.LEFT


# --- approve / decline ------------------------------------------------------------------


def test_secretary_approves_and_every_org_admin_is_told(django_capture_on_commit_callbacks):
    secretary = secretary_of("elderly")
    admin = OrgAdminFactory(user__email="a1@example.com").user
    organisation = admin.organisation_memberships.get().organisation
    second_admin = OrgAdminFactory(
        organisation=organisation, user__email="a2@example.com", user__language="en"
    ).user
    membership = _apply(admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.alliance_membership_approve(
            membership=membership, reason="欢迎", acting_user=secretary
        )
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    assert membership.decided_by == secretary
    assert membership.joined_at is not None
    last = membership.changes.order_by("pk").last()
    assert (last.from_status, last.to_status, last.changed_by, last.reason) == (
        "pending",
        "active",
        secretary,
        "欢迎",
    )
    recipients = set(
        Message.objects.filter(kind="alliance_application_decided").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {admin.pk, second_admin.pk}
    english = next(m for m in mail.outbox if m.to == ["a2@example.com"])
    assert english.subject.endswith("Welcome to Elderly Services Alliance")
    assert f"{organisation.name} is now a member of Elderly Services Alliance" in english.body
    assert "Reason: 欢迎" in english.body
    assert "/my/alliances/" in english.body
    chinese = next(m for m in mail.outbox if m.to == ["a1@example.com"])
    assert "为老服务联盟" in chinese.subject


def test_staff_may_approve_any_alliance():
    membership = _apply(OrgAdminFactory().user, "owners")
    services.alliance_membership_approve(
        membership=membership, acting_user=FederationStaffFactory()
    )
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_secretary_of_another_alliance_may_not_decide():
    other = secretary_of("youth")
    membership = _apply(OrgAdminFactory().user, "elderly")
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_approve(membership=membership, acting_user=other)
    assert excinfo.value.code == "not_secretary"
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_decline(membership=membership, reason="否", acting_user=other)
    assert excinfo.value.code == "not_secretary"
    membership.refresh_from_db()
    assert membership.status == Status.PENDING


def test_org_admin_may_not_approve_their_own_application():
    admin = OrgAdminFactory().user
    membership = _apply(admin)
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_approve(membership=membership, acting_user=admin)
    assert excinfo.value.code == "not_secretary"


def test_approve_refuses_a_decided_application():
    secretary = secretary_of("elderly")
    membership = _apply(OrgAdminFactory().user)
    services.alliance_membership_approve(membership=membership, acting_user=secretary)
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_approve(membership=membership, acting_user=secretary)
    assert excinfo.value.code == "not_pending"


def test_approve_refuses_when_the_organisation_stopped_being_an_active_member():
    secretary = secretary_of("elderly")
    membership = _apply(OrgAdminFactory().user)
    Organisation.objects.filter(pk=membership.organisation_id).update(status="suspended")
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_approve(membership=membership, acting_user=secretary)
    assert excinfo.value.code == "inactive_member"


def test_decline_needs_a_reason_and_records_it():
    secretary = secretary_of("elderly")
    membership = _apply(OrgAdminFactory().user)
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_decline(
            membership=membership, reason=" ", acting_user=secretary
        )
    assert excinfo.value.code == "reason_required"
    services.alliance_membership_decline(
        membership=membership, reason="服务领域不符", acting_user=secretary
    )
    membership.refresh_from_db()
    assert membership.status == Status.DECLINED
    assert membership.decision_reason == "服务领域不符"
    last = membership.changes.order_by("pk").last()
    assert (last.from_status, last.to_status, last.reason) == (
        "pending",
        "declined",
        "服务领域不符",
    )
    message = Message.objects.get(kind="alliance_application_decided")
    assert message.context["approved"] is False
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_decline(
            membership=membership, reason="x", acting_user=secretary
        )
    assert excinfo.value.code == "not_pending"


# --- leave ---------------------------------------------------------------------------


def test_org_admin_leaves_with_a_reason_in_the_history():
    admin = OrgAdminFactory().user
    membership = _apply(admin)
    services.alliance_membership_approve(
        membership=membership, acting_user=FederationStaffFactory()
    )
    services.alliance_membership_leave(membership=membership, reason="机构转型", acting_user=admin)
    membership.refresh_from_db()
    assert membership.status == Status.LEFT
    assert membership.left_at is not None
    history = list(membership.changes.order_by("pk").values_list("from_status", "to_status"))
    assert history == [("", "pending"), ("pending", "active"), ("active", "left")]
    assert membership.changes.order_by("pk").last().reason == "机构转型"


def test_leave_withdraws_a_pending_application():
    admin = OrgAdminFactory().user
    membership = _apply(admin)
    services.alliance_membership_leave(membership=membership, acting_user=admin)
    membership.refresh_from_db()
    assert membership.status == Status.LEFT


def test_leave_refuses_when_not_a_member():
    admin = OrgAdminFactory().user
    membership = _apply(admin)
    services.alliance_membership_decline(
        membership=membership, reason="否", acting_user=FederationStaffFactory()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_membership_leave(membership=membership, acting_user=admin)
    assert excinfo.value.code == "not_member"


def test_leave_refuses_outsiders_and_other_secretaries_but_not_own_secretary():
    membership = AllianceMembershipFactory(status=Status.ACTIVE)
    for user in (UserFactory(), secretary_of("youth"), OrgAdminFactory().user):
        with pytest.raises(ValidationError) as excinfo:
            services.alliance_membership_leave(membership=membership, acting_user=user)
        assert excinfo.value.code == "not_org_admin"
    services.alliance_membership_leave(membership=membership, acting_user=secretary_of("elderly"))
    membership.refresh_from_db()
    assert membership.status == Status.LEFT


# --- alliances -----------------------------------------------------------------------


def test_alliance_update_sets_lead_and_secretary_for_staff_only():
    staff = FederationStaffFactory()
    lead = OrganisationFactory()
    secretary = UserFactory()
    elderly = alliance()
    services.alliance_update(
        alliance=elderly,
        data={"lead_organisation": lead, "secretary": secretary},
        acting_user=staff,
    )
    elderly.refresh_from_db()
    assert (elderly.lead_organisation, elderly.secretary) == (lead, secretary)
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_update(alliance=elderly, data={"secretary": None}, acting_user=secretary)
    assert excinfo.value.code == "not_staff"


def test_alliance_update_refuses_an_inactive_lead_organisation():
    with pytest.raises(ValidationError) as excinfo:
        services.alliance_update(
            alliance=alliance(),
            data={"lead_organisation": OrganisationFactory(status="lapsed")},
            acting_user=FederationStaffFactory(),
        )
    assert excinfo.value.code == "inactive_member"


def test_history_rows_are_written_by_services_only_once_per_change():
    admin = OrgAdminFactory().user
    membership = _apply(admin)
    services.alliance_membership_approve(
        membership=membership, acting_user=FederationStaffFactory()
    )
    assert AllianceMembershipChange.objects.filter(membership=membership).count() == 2


def test_apply_tells_the_current_secretary_even_with_a_stale_alliance_object():
    elderly = alliance("elderly")  # loaded before the secretary is appointed
    secretary = secretary_of("elderly")
    admin = OrgAdminFactory().user
    services.alliance_membership_apply(
        organisation=admin.organisation_memberships.get().organisation,
        alliance=elderly,
        acting_user=admin,
    )
    assert Message.objects.get(kind="alliance_application_received").recipient == secretary
