"""Writes for the alliances.

Invariants owned here:
- only an org admin of an *active* federation member may apply for their
  organisation to join an alliance;
- an organisation has at most one live (pending or active) membership per
  alliance (also a database constraint, ``alliances_alliancemembership_one_live``);
- only the alliance's own secretary or federation staff approve or decline,
  and a decline carries a reason;
- every status change writes one history row (who, when, from, to, why);
- an alliance's lead organisation is an active federation member;
- an import of memberships is all-or-nothing: one bad row and nothing is written.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.links import absolute_url
from core.pagecache import page_cache_invalidates
from federation.models import Organisation, OrganisationMember, User
from federation.rules import user_is_federation_staff
from notifications.services import message_enqueue

from .models import Alliance, AllianceMembership, AllianceMembershipChange

Status = AllianceMembership.Status


# --- Permissions (shared with selectors and views) ---------------------------


def user_may_manage_alliance(*, user: User, alliance: Alliance) -> bool:
    """Federation staff manage every alliance; a secretary only their own."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user_is_federation_staff(user) or alliance.secretary_id == user.pk


def _is_org_admin(*, user: User, organisation: Organisation) -> bool:
    return (
        user.is_authenticated
        and OrganisationMember.objects.filter(
            organisation=organisation, user=user, role=OrganisationMember.Role.ADMIN
        ).exists()
    )


# --- Private helpers (run inside a service's transaction) --------------------


def _record_change(
    *, membership: AllianceMembership, from_status: str, acting_user: User | None, reason: str
) -> AllianceMembershipChange:
    assert transaction.get_connection().in_atomic_block
    return AllianceMembershipChange.objects.create(
        membership=membership,
        from_status=from_status,
        to_status=membership.status,
        changed_by=acting_user if acting_user and acting_user.is_authenticated else None,
        changed_at=timezone.now(),
        reason=reason,
    )


def _lock_membership(membership: AllianceMembership) -> AllianceMembership:
    assert transaction.get_connection().in_atomic_block
    return (
        AllianceMembership.objects.select_for_update(of=("self",))
        .select_related("organisation", "alliance")
        .get(pk=membership.pk)
    )


def _alliance_context(alliance: Alliance) -> dict:
    return {
        "alliance_code": alliance.code,
        "alliance_name_zh": alliance.name_zh,
        "alliance_name_en": alliance.name_en,
    }


def _notify_application_received(*, membership: AllianceMembership) -> None:
    assert transaction.get_connection().in_atomic_block
    secretary = membership.alliance.secretary
    if secretary is None or not secretary.is_active:
        return
    message_enqueue(
        kind="alliance_application_received",
        recipient=secretary,
        template="alliances/email/application_received",
        context={
            **_alliance_context(membership.alliance),
            "organisation_name": membership.organisation.name,
            "note": membership.note,
            "url": absolute_url(
                reverse("alliances:manage", kwargs={"code": membership.alliance.code})
            ),
        },
        dedupe_key=f"alliance_application_received:{membership.pk}",
    )


def _notify_application_decided(*, membership: AllianceMembership) -> None:
    assert transaction.get_connection().in_atomic_block
    admins = User.objects.filter(
        is_active=True,
        organisation_memberships__organisation=membership.organisation,
        organisation_memberships__role=OrganisationMember.Role.ADMIN,
    ).order_by("pk")
    for admin in admins:
        message_enqueue(
            kind="alliance_application_decided",
            recipient=admin,
            template="alliances/email/application_decided",
            context={
                **_alliance_context(membership.alliance),
                "organisation_name": membership.organisation.name,
                "approved": membership.status == Status.ACTIVE,
                "reason": membership.decision_reason,
                "url": absolute_url(reverse("alliances:my-alliances")),
            },
            dedupe_key=f"alliance_application_decided:{membership.pk}:{admin.pk}",
        )


# --- Membership ----------------------------------------------------------------


@transaction.atomic(durable=True)
@page_cache_invalidates("alliances", "organisations")
def alliance_membership_apply(
    *, organisation: Organisation, alliance: Alliance, note: str = "", acting_user: User
) -> AllianceMembership:
    """A pending application; refuses unless an org admin of an active member applies
    for an alliance the organisation is not already in or applying to."""
    if not _is_org_admin(user=acting_user, organisation=organisation):
        raise ValidationError(
            gettext("Only an administrator of this organisation may apply."),
            code="not_org_admin",
        )
    # Lock the organisation: its status is the rule, and concurrent applications queue.
    organisation = Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            gettext("Only active member organisations of the federation may join an alliance."),
            code="inactive_member",
        )
    # Read the alliance afresh: its secretary is whoever holds the post now.
    alliance = Alliance.objects.select_related("secretary").get(pk=alliance.pk)
    _refuse_if_live(organisation=organisation, alliance=alliance)
    try:
        with transaction.atomic():
            membership = AllianceMembership.objects.create(
                organisation=organisation,
                alliance=alliance,
                status=Status.PENDING,
                applied_by=acting_user,
                note=note.strip(),
            )
    except IntegrityError as exc:  # the constraint caught a race the lock did not
        raise ValidationError(
            gettext("This organisation has already applied to this alliance."),
            code="already_applied",
        ) from exc
    _record_change(membership=membership, from_status="", acting_user=acting_user, reason="")
    _notify_application_received(membership=membership)
    return membership


def _refuse_if_live(*, organisation: Organisation, alliance: Alliance) -> None:
    assert transaction.get_connection().in_atomic_block
    live = (
        AllianceMembership.objects.live()
        .filter(organisation=organisation, alliance=alliance)
        .values_list("status", flat=True)
        .first()
    )
    if live == Status.ACTIVE:
        raise ValidationError(
            gettext("This organisation is already a member of this alliance."),
            code="already_member",
        )
    if live == Status.PENDING:
        raise ValidationError(
            gettext("This organisation has already applied to this alliance."),
            code="already_applied",
        )


def _refuse_unless_manager(*, membership: AllianceMembership, acting_user: User) -> None:
    if not user_may_manage_alliance(user=acting_user, alliance=membership.alliance):
        raise ValidationError(
            gettext("Only the secretary of this alliance or federation staff may decide."),
            code="not_secretary",
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("alliances", "organisations")
def alliance_membership_approve(
    *, membership: AllianceMembership, reason: str = "", acting_user: User
) -> AllianceMembership:
    """Admit a pending applicant; refuses others than the alliance's secretary or staff,
    decided applications and organisations no longer active members."""
    membership = _lock_membership(membership)
    _refuse_unless_manager(membership=membership, acting_user=acting_user)
    if membership.status != Status.PENDING:
        raise ValidationError(
            gettext("This application has already been decided."), code="not_pending"
        )
    if membership.organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            gettext("Only active member organisations of the federation may join an alliance."),
            code="inactive_member",
        )
    now = timezone.now()
    membership.status = Status.ACTIVE
    membership.decided_by = acting_user
    membership.decided_at = now
    membership.decision_reason = reason.strip()
    membership.joined_at = now
    membership.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "joined_at",
            "updated_at",
        ]
    )
    _record_change(
        membership=membership,
        from_status=Status.PENDING,
        acting_user=acting_user,
        reason=membership.decision_reason,
    )
    _notify_application_decided(membership=membership)
    return membership


@transaction.atomic(durable=True)
@page_cache_invalidates("alliances", "organisations")
def alliance_membership_decline(
    *, membership: AllianceMembership, reason: str, acting_user: User
) -> AllianceMembership:
    """Decline a pending application with a reason; refuses others than the alliance's
    secretary or staff, an empty reason and decided applications."""
    membership = _lock_membership(membership)
    _refuse_unless_manager(membership=membership, acting_user=acting_user)
    if not reason.strip():
        raise ValidationError(
            gettext("Give a reason when declining an application."), code="reason_required"
        )
    if membership.status != Status.PENDING:
        raise ValidationError(
            gettext("This application has already been decided."), code="not_pending"
        )
    membership.status = Status.DECLINED
    membership.decided_by = acting_user
    membership.decided_at = timezone.now()
    membership.decision_reason = reason.strip()
    membership.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    _record_change(
        membership=membership,
        from_status=Status.PENDING,
        acting_user=acting_user,
        reason=membership.decision_reason,
    )
    _notify_application_decided(membership=membership)
    return membership


@transaction.atomic(durable=True)
@page_cache_invalidates("alliances", "organisations")
def alliance_membership_leave(
    *, membership: AllianceMembership, reason: str = "", acting_user: User
) -> AllianceMembership:
    """End a membership (or withdraw a pending application). The organisation's admins,
    the alliance's secretary or staff may; refuses when nothing is live."""
    membership = _lock_membership(membership)
    if not (
        _is_org_admin(user=acting_user, organisation=membership.organisation)
        or user_may_manage_alliance(user=acting_user, alliance=membership.alliance)
    ):
        raise ValidationError(
            gettext("Only an administrator of this organisation may leave the alliance."),
            code="not_org_admin",
        )
    if membership.status not in AllianceMembership.LIVE_STATUSES:
        raise ValidationError(
            gettext("This organisation is not a member of this alliance."), code="not_member"
        )
    from_status = membership.status
    membership.status = Status.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at", "updated_at"])
    _record_change(
        membership=membership,
        from_status=from_status,
        acting_user=acting_user,
        reason=reason.strip(),
    )
    return membership


# --- Alliances -----------------------------------------------------------------

ALLIANCE_EDITABLE_FIELDS = (
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "position",
    "lead_organisation",
    "secretary",
)


@transaction.atomic(durable=True)
@page_cache_invalidates("alliances", "organisations")
def alliance_update(*, alliance: Alliance, data: dict, acting_user: User) -> Alliance:
    """Change an alliance's texts, lead organisation or secretary; staff only. Refuses a
    lead organisation that is not an active federation member or an inactive secretary."""
    if not user_is_federation_staff(acting_user):
        raise ValidationError(
            gettext("Only federation staff may change an alliance."), code="not_staff"
        )
    unknown = set(data) - set(ALLIANCE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    lead = data.get("lead_organisation", alliance.lead_organisation)
    if lead is not None and lead.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            gettext("The lead organisation must be an active member of the federation."),
            code="inactive_member",
        )
    secretary = data.get("secretary", alliance.secretary)
    if secretary is not None and not secretary.is_active:
        raise ValidationError(
            gettext("The secretary must be an active user."), code="inactive_user"
        )
    for field, value in data.items():
        setattr(alliance, field, value)
    alliance.full_clean()
    alliance.save()
    return alliance


# --- Import --------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipImportRow:
    """One spreadsheet row: the organisation (credit code or full name) and alliance code."""

    number: int
    organisation: str
    alliance: str


@dataclass(frozen=True)
class MembershipImportOutcome:
    """What an import did for one row: ``created``, ``approved`` (a pending
    application) or ``unchanged`` (already an active member)."""

    membership: AllianceMembership
    outcome: str


def _find_organisations(keys: set[str]) -> dict[str, Organisation]:
    """Map each key (credit code, upper-cased, or full name) to its organisation."""
    codes = {k.upper() for k in keys}
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(Q(name__in=keys) | Q(credit_code__in=codes)):
        found[organisation.name] = organisation
        if organisation.credit_code:
            found[organisation.credit_code.upper()] = organisation
    return found


def _row_error(row: MembershipImportRow, message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code, params={"row": row.number})


def _import_row_errors(
    row: MembershipImportRow,
    *,
    key: str,
    organisation: Organisation | None,
    alliance: Alliance | None,
) -> list[ValidationError]:
    """What is wrong with one import row on its own (unknown, inactive, missing)."""
    row_errors = []
    if organisation is None:
        row_errors.append(
            _row_error(
                row,
                gettext("Row %(row)s: no organisation has this credit code or full name.")
                if key
                else gettext("Row %(row)s: the organisation is missing."),
                "organisation_not_found",
            )
        )
    elif organisation.status != Organisation.Status.ACTIVE:
        row_errors.append(
            _row_error(
                row,
                gettext(
                    "Row %(row)s: only active member organisations of the federation may "
                    "join an alliance."
                ),
                "inactive_member",
            )
        )
    if alliance is None:
        row_errors.append(
            _row_error(row, gettext("Row %(row)s: unknown alliance code."), "alliance_not_found")
        )
    return row_errors


def _import_apply(
    *, organisation: Organisation, alliance: Alliance, acting_user: User, now
) -> MembershipImportOutcome:
    """Make one organisation an active member: approve its application or create it."""
    assert transaction.get_connection().in_atomic_block
    live = (
        AllianceMembership.objects.live()
        .filter(organisation=organisation, alliance=alliance)
        .select_for_update()
        .first()
    )
    if live is not None and live.status == Status.ACTIVE:
        return MembershipImportOutcome(live, "unchanged")
    reason = gettext("Imported by federation staff.")
    if live is not None:  # a pending application: the import approves it
        live.status = Status.ACTIVE
        live.decided_by = acting_user
        live.decided_at = now
        live.decision_reason = reason
        live.joined_at = now
        live.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_reason",
                "joined_at",
                "updated_at",
            ]
        )
        _record_change(
            membership=live, from_status=Status.PENDING, acting_user=acting_user, reason=reason
        )
        return MembershipImportOutcome(live, "approved")
    membership = AllianceMembership.objects.create(
        organisation=organisation,
        alliance=alliance,
        status=Status.ACTIVE,
        applied_by=acting_user,
        decided_by=acting_user,
        decided_at=now,
        decision_reason=reason,
        joined_at=now,
    )
    _record_change(membership=membership, from_status="", acting_user=acting_user, reason=reason)
    return MembershipImportOutcome(membership, "created")


@transaction.atomic(durable=True)
@page_cache_invalidates("alliances", "organisations")
def alliance_membership_import(
    *, rows: Sequence[MembershipImportRow], acting_user: User, dry_run: bool = False
) -> list[MembershipImportOutcome]:
    """Make every row's organisation an active member of its alliance (a pending
    application is approved; an existing membership is kept). All-or-nothing: raises one
    ValidationError listing every bad row (``params["row"]``) and writes nothing. Staff only."""
    if not user_is_federation_staff(acting_user):
        raise ValidationError(
            gettext("Only federation staff may import alliance memberships."), code="not_staff"
        )
    keys = {r.organisation.strip() for r in rows if r.organisation.strip()}
    organisations = _find_organisations(keys)
    alliances: dict[str, Alliance] = {}
    for alliance in Alliance.objects.all():
        alliances[alliance.code] = alliance
        alliances[alliance.name_zh] = alliance
    # Lock the organisations in pk order, as apply does, so imports and applications queue.
    locked_ids = sorted({o.pk for o in organisations.values()})
    list(Organisation.objects.select_for_update(no_key=True).filter(pk__in=locked_ids))

    errors: list[ValidationError] = []
    seen: set[tuple[int, int]] = set()
    results: list[MembershipImportOutcome] = []
    now = timezone.now()
    for row in rows:
        key = row.organisation.strip()
        organisation = organisations.get(key) or organisations.get(key.upper())
        alliance = alliances.get(row.alliance.strip().lower()) or alliances.get(
            row.alliance.strip()
        )
        row_errors = _import_row_errors(row, key=key, organisation=organisation, alliance=alliance)
        if row_errors:
            errors.extend(row_errors)
            continue
        if (organisation.pk, alliance.pk) in seen:
            errors.append(
                _row_error(
                    row,
                    gettext("Row %(row)s: the same organisation and alliance appear twice."),
                    "duplicate_row",
                )
            )
            continue
        seen.add((organisation.pk, alliance.pk))
        results.append(
            _import_apply(
                organisation=organisation, alliance=alliance, acting_user=acting_user, now=now
            )
        )
    if errors:
        raise ValidationError(errors)
    if dry_run:
        transaction.set_rollback(True)
    return results
