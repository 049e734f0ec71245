import contextlib
import datetime
import threading

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import timezone

from federation import services
from federation.models import Invitation, Organisation, OrganisationMember
from notifications.models import Message

from .factories import OrgAdminFactory, OrganisationFactory, OrganisationMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = OrganisationMember.Role


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def admin(organisation):
    return OrgAdminFactory(organisation=organisation)


# --- roles and removal ----------------------------------------------------------------


def test_an_org_admin_changes_roles(organisation, admin):
    member = OrganisationMemberFactory(organisation=organisation)
    services.member_role_change(member=member, role=Role.ADMIN, acting_user=admin.user)
    member.refresh_from_db()
    assert member.role == Role.ADMIN
    services.member_role_change(member=admin, role=Role.MEMBER, acting_user=member.user)
    admin.refresh_from_db()
    assert admin.role == Role.MEMBER


def test_the_last_admin_cannot_be_demoted_or_removed(organisation, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.member_role_change(member=admin, role=Role.MEMBER, acting_user=admin.user)
    assert excinfo.value.code == "last_admin"
    with pytest.raises(ValidationError) as excinfo:
        services.member_remove(member=admin, acting_user=admin.user)
    assert excinfo.value.code == "last_admin"
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_members_and_outsiders_cannot_change_roles_or_remove_others(organisation, admin):
    member = OrganisationMemberFactory(organisation=organisation)
    outsider_admin = OrgAdminFactory()  # admin of another organisation
    for user in (member.user, outsider_admin.user):
        with pytest.raises(ValidationError) as excinfo:
            services.member_role_change(member=admin, role=Role.MEMBER, acting_user=user)
        assert excinfo.value.code == "not_org_admin"
    with pytest.raises(ValidationError) as excinfo:
        services.member_remove(member=admin, acting_user=outsider_admin.user)
    assert excinfo.value.code == "not_org_admin"


def test_a_member_may_leave_and_an_admin_may_remove(organisation, admin):
    leaver = OrganisationMemberFactory(organisation=organisation)
    removed = OrganisationMemberFactory(organisation=organisation)
    services.member_remove(member=leaver, acting_user=leaver.user)
    services.member_remove(member=removed, acting_user=admin.user)
    assert list(OrganisationMember.objects.filter(organisation=organisation)) == [admin]


def test_an_admin_may_leave_when_another_admin_remains(organisation, admin):
    other = OrgAdminFactory(organisation=organisation)
    services.member_remove(member=admin, acting_user=admin.user)
    assert list(organisation.members.all()) == [other]


def test_unknown_role_is_refused(organisation, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.member_role_change(member=admin, role="owner", acting_user=admin.user)
    assert excinfo.value.code == "invalid_role"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (the CI runs it)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(monkeypatch):
    """Real threads on PostgreSQL: the organisation lock serialises the last-admin check.

    Both threads are held just after the check until the other arrives (or
    0.5 s pass, which is what happens when the lock makes the other wait):
    without the lock both would pass the check and no admin would remain.
    """
    from federation.services import members as members_module

    real_check = members_module._refuse_last_admin
    for _round in range(4):
        organisation = OrganisationFactory()
        first = OrgAdminFactory(organisation=organisation)
        second = OrgAdminFactory(organisation=organisation)
        start, inside = threading.Barrier(2), threading.Barrier(2)
        outcomes = []

        def held_check(*args, _inside=inside, **kwargs):
            real_check(*args, **kwargs)
            with contextlib.suppress(threading.BrokenBarrierError):
                _inside.wait(timeout=0.5)

        monkeypatch.setattr(members_module, "_refuse_last_admin", held_check)

        def demote(member, actor, _start=start, _outcomes=outcomes):
            try:
                _start.wait()
                services.member_role_change(member=member, role=Role.MEMBER, acting_user=actor)
                _outcomes.append("ok")
            except ValidationError as error:
                _outcomes.append(error.code)
            finally:
                close_old_connections()

        threads = [
            threading.Thread(target=demote, args=(first, second.user)),
            threading.Thread(target=demote, args=(second, first.user)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) in (["last_admin", "ok"], ["not_org_admin", "ok"])
        assert organisation.members.filter(role=Role.ADMIN).count() == 1


# --- invitations ----------------------------------------------------------------------


def _invite(organisation, admin, email="colleague@example.com", role=Role.MEMBER):
    return services.invitation_create(
        organisation=organisation, email=email, role=role, acting_user=admin.user
    )


def test_invitation_is_sent_through_the_outbox_with_a_signed_link(organisation, admin):
    invitation = _invite(organisation, admin, email="Colleague@Example.com")
    assert invitation.email == "colleague@example.com"
    assert invitation.expires_at - invitation.created_at == services.INVITATION_LIFETIME
    message = Message.objects.get(kind="organisation_invitation")
    assert message.email == "colleague@example.com"
    assert invitation.token in message.context["url"]
    assert Invitation.pk_from_token(invitation.token) == invitation.pk
    assert Invitation.pk_from_token(invitation.token + "x") is None


def test_accepting_links_the_account_with_the_invited_role(organisation, admin):
    invitation = _invite(organisation, admin, role=Role.ADMIN)
    colleague = UserFactory(email="colleague@example.com")
    member = services.invitation_accept(invitation=invitation, acting_user=colleague)
    assert (member.organisation, member.user, member.role) == (organisation, colleague, Role.ADMIN)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == colleague
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=colleague)
    assert excinfo.value.code == "invitation_used"


def test_an_expired_invitation_is_refused(organisation, admin):
    invitation = _invite(organisation, admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    colleague = UserFactory(email="colleague@example.com")
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=colleague)
    assert excinfo.value.code == "invitation_expired"
    assert not organisation.members.filter(user=colleague).exists()


def test_the_wrong_account_cannot_accept(organisation, admin):
    invitation = _invite(organisation, admin)
    stranger = UserFactory(email="stranger@example.com")
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=stranger)
    assert excinfo.value.code == "invitation_wrong_account"
    # An unverified second address is not enough either ...
    EmailAddress.objects.create(user=stranger, email="colleague@example.com", verified=False)
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=stranger)
    assert excinfo.value.code == "invitation_wrong_account"
    # ... a verified one is.
    EmailAddress.objects.filter(user=stranger, email="colleague@example.com").update(verified=True)
    services.invitation_accept(invitation=invitation, acting_user=stranger)


def test_a_revoked_invitation_is_refused(organisation, admin):
    invitation = _invite(organisation, admin)
    services.invitation_revoke(invitation=invitation, acting_user=admin.user)
    colleague = UserFactory(email="colleague@example.com")
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=colleague)
    assert excinfo.value.code == "invitation_revoked"
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_revoke(invitation=invitation, acting_user=admin.user)
    assert excinfo.value.code == "wrong_state"


def test_only_org_admins_invite(organisation, admin):
    member = OrganisationMemberFactory(organisation=organisation)
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_create(
            organisation=organisation,
            email="x@example.com",
            role=Role.MEMBER,
            acting_user=member.user,
        )
    assert excinfo.value.code == "not_org_admin"


def test_no_duplicate_invitations_and_no_invitations_for_members(organisation, admin):
    _invite(organisation, admin)
    with pytest.raises(ValidationError) as excinfo:
        _invite(organisation, admin)
    assert excinfo.value.code == "invitation_pending"
    with pytest.raises(ValidationError) as excinfo:
        _invite(organisation, admin, email=admin.user.email)
    assert excinfo.value.code == "already_member"


def test_closed_organisations_cannot_invite_or_be_joined(organisation, admin):
    invitation = _invite(organisation, admin)
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.WITHDRAWN)
    colleague = UserFactory(email="colleague@example.com")
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(invitation=invitation, acting_user=colleague)
    assert excinfo.value.code == "organisation_closed"
    with pytest.raises(ValidationError) as excinfo:
        _invite(organisation, admin, email="other@example.com")
    assert excinfo.value.code == "organisation_closed"


def test_an_invitation_to_an_existing_account_uses_its_language(organisation, admin):
    UserFactory(email="colleague@example.com", language="en")
    _invite(organisation, admin)
    message = Message.objects.get(kind="organisation_invitation")
    assert message.recipient.email == "colleague@example.com"
    assert message.language == "en"


def test_an_organisation_sends_at_most_a_days_worth_of_invitations(organisation, admin):
    from federation.services.members import INVITATIONS_PER_DAY

    for number in range(INVITATIONS_PER_DAY):
        _invite(organisation, admin, email=f"colleague{number}@example.com")
    with pytest.raises(ValidationError) as excinfo:
        _invite(organisation, admin, email="one-too-many@example.com")
    assert excinfo.value.code == "invitation_limit"
    assert not Invitation.objects.filter(email="one-too-many@example.com").exists()
    # A day later the organisation may invite again.
    Invitation.objects.filter(organisation=organisation).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    _invite(organisation, admin, email="one-too-many@example.com")
