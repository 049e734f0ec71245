"""Writes for the festival: walk-in counting, nominations, awards and their numbers."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import page_cache_invalidates
from events.models import Event, Participant
from federation.models import Organisation, User

from .models import Award, AwardType, HonourRound, Nomination, WalkInCount

WALK_IN_KINDS = (Event.Kind.FESTIVAL, Event.Kind.FESTIVAL_ACTIVITY)


@transaction.atomic(durable=True)
@page_cache_invalidates("festival")
def walk_in_add(*, activity: Event, delta: int, acting_user: User) -> int:
    """Add ``delta`` (+1, −1, or a few) to an activity's walk-ins; returns the new count.

    Several staff count at once on their phones: the increment is one UPDATE
    with ``F("count") + delta`` in the database, so no click is lost, and a
    decrement never goes below zero (the row's check constraint backs it).
    """
    if activity.kind not in WALK_IN_KINDS:
        raise ValidationError(
            _("Walk-ins are counted at festival activities."), code="not_festival"
        )
    if not acting_user.has_perm("festival.count_walk_ins", activity):
        raise PermissionDenied
    if delta == 0 or abs(delta) > 100:
        raise ValidationError(_("Count between 1 and 100 at a time."), code="delta_range")
    WalkInCount.objects.bulk_create([WalkInCount(activity=activity)], ignore_conflicts=True)
    counter = WalkInCount.objects.filter(activity=activity)
    if delta < 0:
        counter = counter.filter(count__gte=-delta)
    if not counter.update(count=F("count") + delta, updated_at=timezone.now()):
        raise ValidationError(_("The count cannot go below zero."), code="below_zero")
    return WalkInCount.objects.values_list("count", flat=True).get(activity=activity)


@transaction.atomic(durable=True)
@page_cache_invalidates("festival")
def nomination_create(
    *,
    round: HonourRound,
    reason: str,
    acting_user: User,
    nominated_by_organisation: Organisation | None = None,
    nominee_participant: Participant | None = None,
    nominee_organisation: Organisation | None = None,
    nominee_name: str = "",
) -> Nomination:
    """Nominate a person or an organisation in an open round.

    An org admin nominates for their organisation: one of its participants or
    the organisation itself. Staff (no nominating organisation) nominate anyone.
    """
    if nominated_by_organisation is None:
        if not acting_user.has_perm("festival.manage_honours"):
            raise PermissionDenied
    elif not acting_user.has_perm("festival.nominate", nominated_by_organisation):
        raise PermissionDenied
    round = HonourRound.objects.select_related("award_type").get(pk=round.pk)
    if round.status != HonourRound.Status.OPEN:
        raise ValidationError(_("This round is closed."), code="round_closed")
    if round.award_type.recipient == AwardType.Recipient.ORGANISATION:
        nominee_participant = None
        if nominated_by_organisation is not None:
            nominee_organisation = nominated_by_organisation
        if nominee_organisation is None:
            raise ValidationError(_("Name the organisation."), code="organisation_required")
        nominee_name = nominee_organisation.name
    elif nominated_by_organisation is not None:
        if (
            nominee_participant is None
            or nominee_participant.organisation_id != nominated_by_organisation.pk
        ):
            raise ValidationError(
                _("Nominate one of your own organisation's people."), code="not_own_person"
            )
        nominee_name = nominee_participant.name
        nominee_organisation = nominated_by_organisation
    elif nominee_participant is not None:
        nominee_name = nominee_participant.name
        nominee_organisation = nominee_organisation or nominee_participant.organisation
    if not nominee_name.strip() or not reason.strip():
        raise ValidationError(_("Name the nominee and give a reason."), code="incomplete")
    return Nomination.objects.create(
        round=round,
        nominee_name=nominee_name.strip(),
        nominee_participant=nominee_participant,
        nominee_organisation=nominee_organisation,
        nominated_by_organisation=nominated_by_organisation,
        reason=reason.strip(),
        created_by=acting_user,
    )


def _award(
    round: HonourRound, *, name: str, organisation, nomination=None, awarded_on=None
) -> Award:
    """Number and save an award; the caller holds the round's lock (gapless per type, year)."""
    assert transaction.get_connection().in_atomic_block
    last = Award.objects.filter(award_type_id=round.award_type_id, year=round.year).aggregate(
        last=Max("serial")
    )["last"]
    serial = (last or 0) + 1
    return Award.objects.create(
        round=round,
        award_type_id=round.award_type_id,
        year=round.year,
        serial=serial,
        number=f"{round.award_type.code}-{round.year}-{serial:03d}",
        recipient_name=name,
        organisation=organisation,
        nomination=nomination,
        awarded_on=awarded_on or timezone.localdate(),
    )


def _lock_round(round_id: int) -> HonourRound:
    # The round (one per type and year) owns the numbering: lock it, late and alone.
    return (
        HonourRound.objects.select_for_update(no_key=True, of=("self",))
        .select_related("award_type")
        .get(pk=round_id)
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("festival")
def nomination_decide(
    *, nomination: Nomination, accept: bool, note: str = "", acting_user: User
) -> Award | None:
    """Staff accept (the award is numbered) or decline a pending nomination."""
    if not acting_user.has_perm("festival.manage_honours"):
        raise PermissionDenied
    round = _lock_round(nomination.round_id)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != Nomination.Status.PENDING:
        raise ValidationError(_("This nomination was already decided."), code="decided")
    nomination.status = Nomination.Status.ACCEPTED if accept else Nomination.Status.DECLINED
    nomination.decision_note = note.strip()[:300]
    nomination.decided_by, nomination.decided_at = acting_user, timezone.now()
    nomination.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    if not accept:
        return None
    return _award(
        round,
        name=nomination.nominee_name,
        organisation=nomination.nominee_organisation,
        nomination=nomination,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("festival")
def award_grant(
    *,
    round: HonourRound,
    recipient_name: str,
    organisation: Organisation | None,
    acting_user: User,
    awarded_on: datetime.date | None = None,
) -> Award:
    """Staff award directly (recording a decision taken outside the portal, on its date)."""
    if not acting_user.has_perm("festival.manage_honours"):
        raise PermissionDenied
    if not recipient_name.strip():
        raise ValidationError(_("Name the recipient."), code="incomplete")
    round = _lock_round(round.pk)
    return _award(
        round, name=recipient_name.strip(), organisation=organisation, awarded_on=awarded_on
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("festival")
def award_revoke(*, award: Award, reason: str, acting_user: User) -> Award:
    """Revoke an award: its number stays taken, its verification page says revoked."""
    if not acting_user.has_perm("festival.manage_honours"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason_required")
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.revoked_at:
        raise ValidationError(_("Already revoked."), code="already_revoked")
    award.revoked_at, award.revoked_reason = timezone.now(), reason.strip()
    award.save(update_fields=["revoked_at", "revoked_reason"])
    return award
