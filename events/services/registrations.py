"""Writes for registrations: register, cancel, promote, check in, hours."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import AllianceMembership
from core.pagecache import page_cache_invalidates
from federation.models import Organisation, User

from ..check_in_codes import check_in_code_new
from ..models import Event, Participant, Registration
from ._common import (
    CHECK_IN_OPENS_BEFORE,
    _clean_person,
    _free_seats,
    _lock_event,
    _lock_event_row,
    _notify,
    _promote_waitlisted,
    _require_attendance_manager,
    _require_organisation_member,
)


def _check_open(event: Event, now: datetime.datetime) -> None:
    """Refuse unless registration is open (the rule is ``Event.registration_refusal``)."""
    refusal = event.registration_refusal(now)
    if refusal is not None:
        raise refusal


def _check_alliance_only(event: Event, organisation: Organisation | None) -> None:
    """An alliance's own training or team building takes only its member organisations."""
    if not event.is_alliance_only:
        return
    is_member = (
        organisation is not None
        and AllianceMembership.objects.active()
        .filter(alliance_id=event.alliance_id, organisation=organisation)
        .exists()
    )
    if not is_member:
        raise ValidationError(
            _("This activity is for the member organisations of %(alliance)s only.")
            % {"alliance": event.alliance},
            code="alliance_members_only",
        )


# A clash of six random characters within one event is rare; a few draws always suffice.
CHECK_IN_CODE_ATTEMPTS = 5

# The partial unique constraints on one live registration per person: PostgreSQL names
# the constraint, SQLite the columns of its index.
_DUPLICATE_PERSON = (
    "events_registration_unique_live_mobile",
    "events_registration_unique_live_participant",
    "events_registration.event_id, events_registration.mobile",
    "events_registration.event_id, events_registration.participant_id",
)


class _CheckInCodeTaken(IntegrityError):
    """Two registrations of one event drew the same check-in code: draw again."""


def _violated(error: IntegrityError) -> str:
    """The name of the constraint ``error`` broke (PostgreSQL), else its message (SQLite)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or str(error)


def _retried_on_code_clash(service):
    """Run a durable registering service again when its check-in code clashed.

    The INSERT runs without a savepoint (that would be two more round trips while the
    event lock is held, for a clash of about one in a billion), so a clash spoils the
    transaction: it is rolled back whole (its outbox rows and page-cache bump with it)
    and run again.
    """

    @wraps(service)
    def wrapped(*args, **kwargs):
        for attempt in range(1, CHECK_IN_CODE_ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except _CheckInCodeTaken:
                if attempt == CHECK_IN_CODE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    return wrapped


def _insert_registration(**fields) -> Registration:
    """INSERT a registration with a fresh check-in code; the caller holds the event lock.

    The constraints decide, with no query before: the same person holding a live place
    in this event (``events_registration_unique_live_mobile`` / ``..._participant``) is
    refused as a duplicate; a check-in code already drawn in this event raises
    ``_CheckInCodeTaken`` (the service then runs again).
    """
    try:
        return Registration.objects.create(check_in_code=check_in_code_new(), **fields)
    except IntegrityError as error:
        violated = _violated(error)
        if "check_in_code" in violated:
            raise _CheckInCodeTaken(*error.args) from error
        if any(name in violated for name in _DUPLICATE_PERSON):
            raise _duplicate(fields["name"]) from error
        raise


def _duplicate(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is already registered for this event.") % {"name": name},
        code="duplicate",
    )


def _refuse_if_registered(
    event: Event, *, name: str, mobile: str, participant: Participant | None
) -> None:
    """Before refusing for another reason (organisation limit, full): a person already
    registered hears that first, as the INSERT's constraint would have told them.

    The conditions are the partial unique indexes' own, so it is one index lookup at any
    event size (anonymised rows have no mobile left to match).
    """
    duplicate = Q(mobile=mobile, anonymised_at__isnull=True)
    if participant:
        duplicate |= Q(participant=participant)
    if Registration.objects.live().filter(duplicate, event_id=event.pk).exists():
        raise _duplicate(name)


def _register(
    *,
    event: Event,
    name: str,
    mobile: str,
    email: str = "",
    participant: Participant | None,
    acting_user: User | None,
) -> Registration:
    """Confirm, waitlist or refuse; the caller's transaction holds the event lock.

    Racing requests queue on that lock, so it covers no more than a place needs: the
    rules on the locked row, the seat count, the INSERT (whose constraint refuses a
    duplicate person: no query for it) and the outbox row. The page-cache bump, the
    e-mail's dispatch and the QR code come after the commit.
    """
    assert transaction.get_connection().in_atomic_block
    now = timezone.now()
    _check_open(event, now)
    organisation = participant.organisation if participant else None
    if event.audience == Event.Audience.MEMBERS and (
        organisation is None or organisation.status != Organisation.Status.ACTIVE
    ):
        raise ValidationError(
            _("This event is for member organisations only."), code="members_only"
        )
    _check_alliance_only(event, organisation)
    person = {"name": name, "mobile": mobile, "participant": participant}
    if (
        organisation
        and event.per_organisation_limit
        and Registration.objects.live().filter(event=event, organisation=organisation).count()
        >= event.per_organisation_limit
    ):
        _refuse_if_registered(event, **person)
        raise ValidationError(
            _("Your organisation has used all its %(limit)s places for this event.")
            % {"limit": event.per_organisation_limit},
            code="organisation_limit",
        )
    seats = _free_seats(event, 1)
    if seats:
        status, seat = Registration.Status.CONFIRMED, seats[0]
    elif event.waitlist_enabled:
        status, seat = Registration.Status.WAITLISTED, None
    else:
        _refuse_if_registered(event, **person)
        raise ValidationError(_("This event is full."), code="full")
    registration = _insert_registration(
        event=event,
        organisation=organisation,
        email=email,
        status=status,
        seat=seat,
        registered_by=acting_user if acting_user and acting_user.is_authenticated else None,
        created_at=now,
        **person,
    )
    if status == Registration.Status.CONFIRMED:
        _notify(registration, "registration_confirmed", event=event)
    else:
        _notify(registration, "registration_waitlisted", event=event)
    return registration


@_retried_on_code_clash
@transaction.atomic(durable=True)
@page_cache_invalidates("events", "volunteers")
def registration_create(
    *, event: Event, participant: Participant, acting_user: User
) -> Registration:
    """Register an organisation's participant: confirmed, or waitlisted when full.

    Refuses with codes event_not_published, event_cancelled, registration_not_open,
    registration_closed, members_only, alliance_members_only, duplicate,
    organisation_limit, full, participant_inactive. Never overbooks.
    """
    _require_organisation_member(acting_user, participant.organisation_id)
    participant = Participant.objects.select_related("organisation").get(pk=participant.pk)
    if not participant.is_active:
        raise ValidationError(
            _("%(name)s is no longer on your active list.") % {"name": participant.name},
            code="participant_inactive",
        )
    # Lock the event row: racing requests for the last place queue here.
    locked = _lock_event_row(event)
    return _register(
        event=locked,
        name=participant.name,
        mobile=participant.mobile,
        participant=participant,
        acting_user=acting_user,
    )


@_retried_on_code_clash
@transaction.atomic(durable=True)
# A visitor's place changes the event pages only: visitors are credited no hours.
@page_cache_invalidates("events")
def registration_create_for_visitor(
    *, event: Event, name: str, mobile: str, email: str = "", acting_user: User | None = None
) -> Registration:
    """A member of the public registers themselves where the event allows it.

    Refuses with visitor_signup_closed and members_only besides the codes of
    :func:`registration_create`.
    """
    name, mobile = _clean_person(name, mobile)
    # Lock the event row: racing sign-ups for the last place queue here.
    locked = _lock_event_row(event)
    if locked.audience == Event.Audience.MEMBERS:
        raise ValidationError(
            _("This event is for member organisations only."), code="members_only"
        )
    _check_alliance_only(locked, None)
    if not locked.visitor_signup:
        _check_open(locked, timezone.now())
        raise ValidationError(
            _("This event does not take registrations from visitors."),
            code="visitor_signup_closed",
        )
    return _register(
        event=locked,
        name=name,
        mobile=mobile,
        email=(email or "").strip(),
        participant=None,
        acting_user=acting_user,
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("events", "volunteers")
def registration_cancel(*, registration: Registration, acting_user: User | None) -> Registration:
    """Cancel a place until the event starts; the first waitlisted person moves up.

    The returned registration's ``promoted`` lists the registrations that moved
    up from the waiting list into the freed place (empty when none did).

    Refuses with already_cancelled, not_cancellable (attended/no-show) and
    event_started; PermissionDenied when an organisation's registration is
    cancelled by someone outside that organisation (staff excepted).
    """
    if registration.organisation_id is not None:
        # A visitor's ticket link (acting_user None) never reaches an organisation's place.
        if acting_user is None or not acting_user.is_authenticated:
            raise PermissionDenied
        _require_organisation_member(acting_user, registration.organisation_id)
    locked_event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(
            _("This registration is already cancelled."), code="already_cancelled"
        )
    if registration.status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
        raise ValidationError(
            _("Attendance has been recorded; this registration cannot be cancelled."),
            code="not_cancellable",
        )
    if timezone.now() >= locked_event.starts_at:
        raise ValidationError(
            _("The event has started; registrations can no longer be cancelled."),
            code="event_started",
        )
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.seat = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "seat", "cancelled_at"])
    _notify(registration, "registration_cancelled", event=locked_event)
    # Who moved up into the freed place (read by the views' success message).
    registration.promoted = _promote_waitlisted(locked_event) if freed else []
    return registration


# --- Check-in and hours -------------------------------------------------------


@dataclass(frozen=True)
class CheckInResult:
    registration: Registration
    already_checked_in: bool


@transaction.atomic(durable=True)
@page_cache_invalidates("events", "volunteers")
def registration_check_in(*, registration: Registration, acting_user: User) -> CheckInResult:
    """Mark attended once and credit the event's length in hours; a second scan is a no-op.

    Refuses with check_in_not_open, event_not_open, not_confirmed (waitlisted)
    and registration_cancelled.
    """
    event = registration.event
    _require_attendance_manager(acting_user, event)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk, event_id=event.pk)
    )
    event = registration.event
    if registration.status == Registration.Status.ATTENDED:
        return CheckInResult(registration, already_checked_in=True)
    if event.status not in (Event.Status.PUBLISHED, Event.Status.COMPLETED):
        raise ValidationError(_("This event is not open for check-in."), code="event_not_open")
    if timezone.now() < event.starts_at - CHECK_IN_OPENS_BEFORE:
        raise ValidationError(
            _("Check-in opens two hours before the start."), code="check_in_not_open"
        )
    if registration.status == Registration.Status.WAITLISTED:
        raise ValidationError(
            _("%(name)s is on the waiting list, without a confirmed place.")
            % {"name": registration.name},
            code="not_confirmed",
        )
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration was cancelled."), code="registration_cancelled")
    registration.status = Registration.Status.ATTENDED
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = acting_user
    # Volunteer hours for organisations' people; visitors are not credited.
    registration.hours = None if registration.is_visitor else event.length_hours
    registration.save(update_fields=["status", "checked_in_at", "checked_in_by", "hours"])
    return CheckInResult(registration, already_checked_in=False)


@transaction.atomic(durable=True)
@page_cache_invalidates("events", "volunteers")
def registration_mark_no_shows(*, event: Event, acting_user: User) -> int:
    """Once the event has started, every confirmed place not checked in becomes a no-show."""
    _require_attendance_manager(acting_user, event)
    locked = _lock_event(event)
    if locked.status not in (Event.Status.PUBLISHED, Event.Status.COMPLETED):
        raise ValidationError(_("This event is not open for check-in."), code="event_not_open")
    if timezone.now() < locked.starts_at:
        raise ValidationError(_("The event has not started yet."), code="event_not_started")
    return locked.registrations.filter(status=Registration.Status.CONFIRMED).update(
        status=Registration.Status.NO_SHOW
    )


@transaction.atomic(durable=True)
@page_cache_invalidates("events", "volunteers")
def registration_hours_correct(
    *, registration: Registration, hours: Decimal, note: str = "", acting_user: User
) -> Registration:
    """Set an attended participant's hours by hand, marked as corrected.

    Refuses with not_attended, visitor_no_hours, hours_negative and
    hours_above_length (never more than the event lasted).
    """
    _require_attendance_manager(acting_user, registration.event)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    if not isinstance(hours, Decimal):
        raise TypeError("hours must be a Decimal")
    if registration.status != Registration.Status.ATTENDED:
        raise ValidationError(_("Only attended participants have hours."), code="not_attended")
    if registration.is_visitor:
        raise ValidationError(
            _("Visitors are not credited volunteer hours."), code="visitor_no_hours"
        )
    length = registration.event.length_hours
    if hours < 0:
        raise ValidationError(_("Hours cannot be negative."), code="hours_negative")
    if hours > length:
        raise ValidationError(
            _("At most %(length)s hours: the length of the event.") % {"length": length},
            code="hours_above_length",
        )
    registration.hours = hours.quantize(Decimal("0.01"))
    registration.hours_corrected = True
    registration.hours_corrected_at = timezone.now()
    registration.hours_corrected_by = acting_user
    registration.hours_note = (note or "").strip()[:200]
    registration.save(
        update_fields=[
            "hours",
            "hours_corrected",
            "hours_corrected_at",
            "hours_corrected_by",
            "hours_note",
        ]
    )
    return registration
