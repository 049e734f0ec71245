"""Writes for an organisation's people: roles, removals and invitations.

Invariants owned here:
- an organisation that has an org admin keeps at least one: demoting or
  removing the last admin is refused (``last_admin``); the organisation row
  is locked first, so two admins demoting each other at once cannot both win;
- only an org admin of the organisation (or staff) changes roles, removes
  others, invites or revokes; anyone may leave unless they are the last admin;
- an invitation is accepted once, before it expires, by an account that owns
  the invited e-mail address (verified); one pending invitation per address;
  at most ``INVITATIONS_PER_DAY`` invitations per organisation in 24 hours, so
  an org account cannot turn the portal into a mailer (``invitation_limit``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.pagecache import page_cache_invalidates
from notifications.services import message_enqueue

from ..models import Invitation, Organisation, OrganisationMember, User
from ._common import (
    absolute_url,
    assert_in_transaction,
    lock_organisation,
    require_org_admin_or_staff,
    user_has_verified_email,
)
from .accounts import user_name_clean

INVITATION_LIFETIME = datetime.timedelta(days=14)
INVITATIONS_PER_DAY = 20
CLOSED_STATUSES = (Organisation.Status.REJECTED, Organisation.Status.WITHDRAWN)


def _refuse_last_admin(organisation: Organisation, member: OrganisationMember) -> None:
    assert_in_transaction()
    if member.role != OrganisationMember.Role.ADMIN:
        return
    other_admins = (
        OrganisationMember.objects.filter(
            organisation=organisation, role=OrganisationMember.Role.ADMIN
        )
        .exclude(pk=member.pk)
        .exists()
    )
    if not other_admins:
        raise ValidationError(
            _("The organisation needs at least one org admin: appoint another one first."),
            code="last_admin",
        )


def _reload_member(member: OrganisationMember) -> OrganisationMember:
    try:
        return OrganisationMember.objects.select_related("user").get(pk=member.pk)
    except OrganisationMember.DoesNotExist as exc:
        raise ValidationError(_("This person is no longer a member."), code="not_member") from exc


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def member_role_change(
    *, member: OrganisationMember, role: str, acting_user: User
) -> OrganisationMember:
    """Make a member org admin or org member; never demotes the last admin."""
    if role not in OrganisationMember.Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    organisation = lock_organisation(member.organisation)
    require_org_admin_or_staff(organisation, acting_user)
    member = _reload_member(member)
    if member.role == role:
        return member
    if role != OrganisationMember.Role.ADMIN:
        _refuse_last_admin(organisation, member)
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def member_remove(*, member: OrganisationMember, acting_user: User) -> None:
    """Take a person out of the organisation (an admin does it, or they leave themselves)."""
    organisation = lock_organisation(member.organisation)
    member = _reload_member(member)
    if member.user_id != getattr(acting_user, "pk", None):
        require_org_admin_or_staff(organisation, acting_user)
    _refuse_last_admin(organisation, member)
    member.delete()


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def invitation_create(
    *, organisation: Organisation, email: str, role: str, acting_user: User
) -> Invitation:
    """Invite a colleague by e-mail: a signed link valid for 14 days, sent through the outbox."""
    organisation = lock_organisation(organisation)
    require_org_admin_or_staff(organisation, acting_user)
    if organisation.status in CLOSED_STATUSES:
        raise ValidationError(
            _("This organisation is no longer a member."), code="organisation_closed"
        )
    email = (email or "").strip().lower()
    validate_email(email)
    if role not in OrganisationMember.Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    if OrganisationMember.objects.filter(
        organisation=organisation, user__email__iexact=email
    ).exists():
        raise ValidationError(
            _("%(email)s is already in this organisation."),
            code="already_member",
            params={"email": email},
        )
    if Invitation.objects.filter(
        organisation=organisation, email=email, status=Invitation.Status.PENDING
    ).exists():
        raise ValidationError(
            _("%(email)s already has an invitation waiting; revoke it to send a new one."),
            code="invitation_pending",
            params={"email": email},
        )
    now = timezone.now()
    # The organisation row is locked above, so concurrent invitations count correctly.
    sent_today = Invitation.objects.filter(
        organisation=organisation, created_at__gt=now - datetime.timedelta(days=1)
    ).count()
    if sent_today >= INVITATIONS_PER_DAY:
        raise ValidationError(
            _("At most %(limit)s invitations a day can be sent; please try again tomorrow."),
            code="invitation_limit",
            params={"limit": INVITATIONS_PER_DAY},
        )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=acting_user,
        language=translation.get_language()
        if translation.get_language() in ("en", "zh-hans")
        else "zh-hans",
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    existing_user = User.objects.filter(email__iexact=email, is_active=True).first()
    message_enqueue(
        kind="organisation_invitation",
        recipient=existing_user,
        email="" if existing_user else email,
        template="federation/email/organisation_invitation",
        context={
            "organisation_name": organisation.name,
            "inviter_name": acting_user.get_full_name(),
            "role": role,
            "url": absolute_url(reverse("federation:invitation-accept", args=[invitation.token])),
            "expires_at": invitation.expires_at,
        },
        language=None if existing_user else invitation.language,
        dedupe_key=f"organisation_invitation:invitation:{invitation.pk}",
    )
    return invitation


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def invitation_accept(
    *, invitation: Invitation, acting_user: User, name: str = ""
) -> OrganisationMember:
    """Join the organisation with the invited role.

    A person without a name gives it here (``name_required`` otherwise); a
    name already on the account is kept. Refuses ``invitation_used``,
    ``invitation_revoked``, ``invitation_expired``, ``invitation_wrong_account`` (the account does not own the invited
    address), ``organisation_closed`` and ``already_member``.
    """
    if not (acting_user and acting_user.is_authenticated):
        raise ValidationError(_("Log in to accept the invitation."), code="login_required")
    organisation = lock_organisation(invitation.organisation)
    invitation = Invitation.objects.select_for_update(no_key=True).get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation was already used."), code="invitation_used")
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation was withdrawn."), code="invitation_revoked")
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired: ask for a new one."), code="invitation_expired"
        )
    if not user_has_verified_email(acting_user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. Log in with that "
                "address, or add and verify it in your account first."
            ),
            code="invitation_wrong_account",
        )
    if organisation.status in CLOSED_STATUSES:
        raise ValidationError(
            _("This organisation is no longer a member."), code="organisation_closed"
        )
    if OrganisationMember.objects.filter(organisation=organisation, user=acting_user).exists():
        raise ValidationError(_("You are already in this organisation."), code="already_member")
    if not acting_user.name.strip():
        acting_user.name = user_name_clean(name)
        acting_user.save(update_fields=["name"])
    member = OrganisationMember.objects.create(
        organisation=organisation, user=acting_user, role=invitation.role
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = acting_user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    return member


@transaction.atomic(durable=True)
@page_cache_invalidates("organisations")
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> Invitation:
    """Withdraw a pending invitation; its link stops working."""
    organisation = lock_organisation(invitation.organisation)
    require_org_admin_or_staff(organisation, acting_user)
    invitation = Invitation.objects.select_for_update(no_key=True).get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."), code="wrong_state")
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    return invitation
