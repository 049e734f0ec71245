import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.models import Event, Registration
from federation.models import Organisation
from tests.alliances.factories import alliance, org_admin, secretary_of
from tests.federation.factories import FederationStaffFactory, OrganisationFactory

from .factories import EventFactory, ParticipantFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_user():
    return org_admin(OrganisationFactory())


def _org(user) -> Organisation:
    return user.organisation_memberships.get().organisation


def register(event, user, **participant_kwargs):
    participant = ParticipantFactory(organisation=_org(user), **participant_kwargs)
    return services.registration_create(event=event, participant=participant, acting_user=user)


def refusal_code(callable_, **kwargs) -> str:
    """The code of the one refusal ``callable_`` raises (by field or not)."""
    with pytest.raises(ValidationError) as info:
        callable_(**kwargs)
    error = info.value
    errors = (
        [e for field_errors in error.error_dict.values() for e in field_errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    (code,) = {e.code for e in errors}
    return code


# --- Registering ----------------------------------------------------------------------


def test_registration_create_confirms_with_a_seat(org_user):
    event = EventFactory(capacity=3)
    registration = register(event, org_user)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.seat == 1
    assert registration.organisation == _org(org_user)
    assert len(registration.token) >= 20


def test_registration_create_waitlists_when_full_in_order(org_user):
    event = EventFactory(capacity=2)
    first, second, third, fourth = (register(event, org_user) for _ in range(4))
    assert [r.status for r in (first, second)] == ["confirmed", "confirmed"]
    assert {first.seat, second.seat} == {1, 2}
    assert [r.status for r in (third, fourth)] == ["waitlisted", "waitlisted"]
    assert third.seat is None


def test_registration_create_refuses_when_full_without_waitlist(org_user):
    event = EventFactory(capacity=1, waitlist_enabled=False)
    register(event, org_user)
    participant = ParticipantFactory(organisation=_org(org_user))
    code = refusal_code(
        services.registration_create, event=event, participant=participant, acting_user=org_user
    )
    assert code == "full"


@pytest.mark.parametrize(
    ("event_kwargs", "code"),
    [
        ({"status": Event.Status.DRAFT}, "event_not_published"),
        (
            {"status": Event.Status.CANCELLED, "cancelled_reason": "台风预警"},
            "event_cancelled",
        ),
        ({"registration_opens_at": in_days(2)}, "registration_not_open"),
        (
            {"registration_opens_at": in_days(-5), "registration_closes_at": in_days(-1)},
            "registration_closed",
        ),
        ({"starts_at": in_days(-1), "ends_at": in_days(-1, 12)}, "registration_closed"),
        ({"status": Event.Status.COMPLETED}, "registration_closed"),
    ],
)
def test_registration_create_refuses_outside_window_or_status(org_user, event_kwargs, code):
    event = EventFactory(**event_kwargs)
    participant = ParticipantFactory(organisation=_org(org_user))
    assert (
        refusal_code(
            services.registration_create,
            event=event,
            participant=participant,
            acting_user=org_user,
        )
        == code
    )
    assert not Registration.objects.exists()


def test_registration_create_refuses_non_member_on_members_only_event():
    applicant = OrganisationFactory(status=Organisation.Status.APPLIED)
    user = org_admin(applicant)
    event = EventFactory(audience=Event.Audience.MEMBERS)
    participant = ParticipantFactory(organisation=applicant)
    code = refusal_code(
        services.registration_create, event=event, participant=participant, acting_user=user
    )
    assert code == "members_only"


def test_registration_create_accepts_member_on_members_only_event(org_user):
    event = EventFactory(audience=Event.Audience.MEMBERS)
    assert register(event, org_user).status == Registration.Status.CONFIRMED


def test_registration_create_refuses_past_the_per_organisation_limit(org_user):
    event = EventFactory(capacity=10, per_organisation_limit=2)
    register(event, org_user)
    register(event, org_user)
    participant = ParticipantFactory(organisation=_org(org_user))
    code = refusal_code(
        services.registration_create, event=event, participant=participant, acting_user=org_user
    )
    assert code == "organisation_limit"
    # Another organisation still has its own places.
    assert register(event, org_admin(OrganisationFactory())).status == "confirmed"


def test_registration_create_refuses_the_same_person_twice(org_user):
    event = EventFactory()
    participant = ParticipantFactory(organisation=_org(org_user))
    services.registration_create(event=event, participant=participant, acting_user=org_user)
    code = refusal_code(
        services.registration_create, event=event, participant=participant, acting_user=org_user
    )
    assert code == "duplicate"
    # The same mobile as a visitor is the same person too.
    event.visitor_signup = True
    event.save()
    code = refusal_code(
        services.registration_create_for_visitor,
        event=event,
        name="张三（虚构）",
        mobile=participant.mobile,
    )
    assert code == "duplicate"


def test_registration_create_allows_again_after_cancelling(org_user):
    event = EventFactory()
    participant = ParticipantFactory(organisation=_org(org_user))
    first = services.registration_create(event=event, participant=participant, acting_user=org_user)
    services.registration_cancel(registration=first, acting_user=org_user)
    again = services.registration_create(event=event, participant=participant, acting_user=org_user)
    assert again.status == Registration.Status.CONFIRMED


def test_registration_create_refuses_an_inactive_participant(org_user):
    participant = ParticipantFactory(organisation=_org(org_user), is_active=False)
    code = refusal_code(
        services.registration_create,
        event=EventFactory(),
        participant=participant,
        acting_user=org_user,
    )
    assert code == "participant_inactive"


def test_registration_create_refuses_another_organisations_participant(org_user):
    stranger = ParticipantFactory()
    with pytest.raises(PermissionDenied):
        services.registration_create(
            event=EventFactory(), participant=stranger, acting_user=org_user
        )


def test_visitor_registration_needs_visitor_signup():
    event = EventFactory(visitor_signup=False)
    code = refusal_code(
        services.registration_create_for_visitor, event=event, name="李四", mobile="13900001111"
    )
    assert code == "visitor_signup_closed"


def test_visitor_registration_refused_on_members_only_event():
    event = EventFactory(visitor_signup=True, audience=Event.Audience.MEMBERS)
    code = refusal_code(
        services.registration_create_for_visitor, event=event, name="李四", mobile="13900001111"
    )
    assert code == "members_only"


def test_visitor_registration_normalises_and_validates_the_mobile():
    event = EventFactory(visitor_signup=True)
    registration = services.registration_create_for_visitor(
        event=event, name="王五（虚构）", mobile="+86 139-0000-2222"
    )
    assert registration.mobile == "13900002222"
    assert registration.organisation is None
    with pytest.raises(ValidationError) as info:
        services.registration_create_for_visitor(event=event, name="赵六", mobile="12345")
    assert "mobile" in info.value.error_dict


# --- Cancelling and the waiting list ------------------------------------------------------


def test_cancel_promotes_the_first_waitlisted_in_the_same_transaction(
    org_user, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    a, _b = register(event, org_user), register(event, org_user)
    c, d = register(event, org_user), register(event, org_user)
    assert (c.status, d.status) == ("waitlisted", "waitlisted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=a, acting_user=org_user)
    a.refresh_from_db()
    c.refresh_from_db()
    d.refresh_from_db()
    assert a.status == "cancelled" and a.seat is None
    assert c.status == "confirmed" and c.seat == 1 and c.promoted_at is not None
    assert d.status == "waitlisted"
    subjects = [m.subject for m in mail.outbox]
    assert any(c.event.title in s for s in subjects)
    from notifications.models import Message

    assert set(Message.objects.values_list("kind", flat=True)) >= {
        "registration_cancelled",
        "registration_promoted",
    }
    # Cancelling a waitlisted place promotes nobody.
    services.registration_cancel(registration=d, acting_user=org_user)
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_registration_cancel_is_refused_outside_the_organisation(org_user):
    from django.contrib.auth.models import AnonymousUser

    registration = register(EventFactory(), org_user)
    for outsider in (org_admin(OrganisationFactory()), None, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.registration_cancel(registration=registration, acting_user=outsider)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    services.registration_cancel(registration=registration, acting_user=FederationStaffFactory())
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_cancel_refusals(org_user):
    event = EventFactory()
    registration = register(event, org_user)
    services.registration_cancel(registration=registration, acting_user=org_user)
    assert (
        refusal_code(services.registration_cancel, registration=registration, acting_user=org_user)
        == "already_cancelled"
    )
    started = register(event, org_user)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert (
        refusal_code(services.registration_cancel, registration=started, acting_user=org_user)
        == "event_started"
    )


def test_waitlist_order_is_first_come_first_served(org_user):
    event = EventFactory(capacity=1)
    holder = register(event, org_user)
    waiting = [register(event, org_user) for _ in range(3)]
    services.registration_cancel(registration=holder, acting_user=org_user)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "waitlisted", "waitlisted"]
    services.registration_cancel(registration=waiting[0], acting_user=org_user)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["cancelled", "confirmed", "waitlisted"]


# --- Events -------------------------------------------------------------------------------


def test_event_cancel_cancels_activities_and_registrations_and_tells_them(
    org_user, django_capture_on_commit_callbacks
):
    staff = FederationStaffFactory()
    festival = EventFactory(kind=Event.Kind.FESTIVAL, capacity=None)
    activity = EventFactory(kind=Event.Kind.FESTIVAL_ACTIVITY, parent=festival, capacity=1)
    on_festival = register(festival, org_user)
    on_activity = register(activity, org_user)
    waiting = register(activity, org_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=festival, reason="台风红色预警", acting_user=staff)
    activity.refresh_from_db()
    assert activity.status == Event.Status.CANCELLED
    for registration in (on_festival, on_activity, waiting):
        registration.refresh_from_db()
        assert registration.status == "cancelled"
        assert registration.seat is None
    assert len(mail.outbox) == 3
    assert all("台风红色预警" in m.body for m in mail.outbox)
    assert refusal_code(services.event_cancel, event=festival, reason="x", acting_user=staff) == (
        "not_cancellable"
    )


def test_event_cancel_needs_a_reason():
    assert (
        refusal_code(
            services.event_cancel,
            event=EventFactory(),
            reason=" ",
            acting_user=FederationStaffFactory(),
        )
        == "reason_required"
    )


def test_event_update_refuses_capacity_below_confirmed(org_user):
    event = EventFactory(capacity=3)
    for _ in range(3):
        register(event, org_user)
    code = refusal_code(
        services.event_update, event=event, acting_user=FederationStaffFactory(), capacity=2
    )
    assert code == "capacity_below_confirmed"


def test_event_update_compacts_seats_and_promotes_on_growth(org_user):
    staff = FederationStaffFactory()
    event = EventFactory(capacity=3)
    a, b, c = (register(event, org_user) for _ in range(3))
    waiting = register(event, org_user)
    services.registration_cancel(registration=a, acting_user=org_user)  # waiting takes seat 1
    services.registration_cancel(registration=b, acting_user=org_user)  # seat 2 frees
    services.event_update(event=event, acting_user=staff, capacity=2)
    seats = sorted(
        Registration.objects.filter(event=event, seat__isnull=False).values_list("seat", flat=True)
    )
    assert seats == [1, 2]
    late = [register(event, org_user) for _ in range(2)]
    assert [r.status for r in late] == ["waitlisted", "waitlisted"]
    services.event_update(event=event, acting_user=staff, capacity=3)
    assert [Registration.objects.get(pk=r.pk).status for r in late] == ["confirmed", "waitlisted"]
    waiting.refresh_from_db()
    c.refresh_from_db()
    assert {waiting.status, c.status} == {"confirmed"}


def test_event_create_makes_a_pinyin_slug_and_a_draft():
    event = services.event_create(
        acting_user=FederationStaffFactory(),
        kind=Event.Kind.CARAVAN,
        title="月月·大篷车 武定路站",
        starts_at=in_days(5),
        ends_at=in_days(5, 12),
    )
    assert event.status == Event.Status.DRAFT
    assert "yue-yue-da-peng-che" in event.slug
    assert event.slug.startswith(timezone.localtime(event.starts_at).strftime("%Y%m%d"))


def test_event_create_refuses_activity_without_festival_and_bad_parent():
    staff = FederationStaffFactory()
    with pytest.raises(ValidationError) as info:
        services.event_create(
            acting_user=staff,
            kind=Event.Kind.FESTIVAL_ACTIVITY,
            title="公益集市",
            starts_at=in_days(5),
            ends_at=in_days(5, 12),
        )
    assert info.value.error_dict["parent"][0].code == "activity_without_festival"
    caravan = EventFactory()
    with pytest.raises(ValidationError) as info:
        services.event_create(
            acting_user=staff,
            kind=Event.Kind.FESTIVAL_ACTIVITY,
            title="公益集市",
            parent=caravan,
            starts_at=in_days(5),
            ends_at=in_days(5, 12),
        )
    assert info.value.error_dict["parent"][0].code == "parent_not_festival"


def test_secretary_creates_only_own_alliance_trainings_and_team_building():
    secretary = secretary_of("youth")
    fields = {"title": "青年志愿者技能培训", "starts_at": in_days(5), "ends_at": in_days(5, 12)}
    event = services.event_create(
        acting_user=secretary, kind=Event.Kind.TRAINING, alliance=alliance("youth"), **fields
    )
    assert event.alliance.code == "youth"
    with pytest.raises(ValidationError) as info:
        services.event_create(
            acting_user=secretary, kind=Event.Kind.TRAINING, alliance=alliance("elderly"), **fields
        )
    assert info.value.error_dict["alliance"][0].code == "not_secretary"
    with pytest.raises(ValidationError) as info:
        services.event_create(
            acting_user=secretary, kind=Event.Kind.CARAVAN, alliance=alliance("youth"), **fields
        )
    assert info.value.error_dict["kind"][0].code == "kind_forbidden"
    # Nor may they edit another alliance's event.
    other = EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("elderly"))
    with pytest.raises(ValidationError):
        services.event_update(event=other, acting_user=secretary, title="改名")


# --- Check-in and hours ------------------------------------------------------------------


@pytest.fixture
def event_now():
    """An event that started ten minutes ago and lasts three hours."""
    start = timezone.now() - datetime.timedelta(minutes=10)
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=3))


def _confirmed(event, user):
    participant = ParticipantFactory(organisation=_org(user))
    return Registration.objects.create(
        event=event,
        participant=participant,
        organisation=participant.organisation,
        name=participant.name,
        mobile=participant.mobile,
        status=Registration.Status.CONFIRMED,
        seat=Registration.objects.filter(event=event).count() + 1,
    )


def test_check_in_is_idempotent_and_credits_the_event_length(event_now, org_user):
    staff = FederationStaffFactory()
    registration = _confirmed(event_now, org_user)
    first = services.registration_check_in(registration=registration, acting_user=staff)
    assert not first.already_checked_in
    assert first.registration.status == "attended"
    assert first.registration.hours == Decimal("3.00")
    checked_in_at = first.registration.checked_in_at
    second = services.registration_check_in(registration=registration, acting_user=staff)
    assert second.already_checked_in
    assert second.registration.checked_in_at == checked_in_at


def test_check_in_refusals(org_user):
    staff = FederationStaffFactory()
    future = EventFactory(capacity=1)
    registration = register(future, org_user)
    assert (
        refusal_code(services.registration_check_in, registration=registration, acting_user=staff)
        == "check_in_not_open"
    )
    waiting = register(future, org_user)
    Event.objects.filter(pk=future.pk).update(
        starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert (
        refusal_code(services.registration_check_in, registration=waiting, acting_user=staff)
        == "not_confirmed"
    )
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=registration, acting_user=org_user)


def test_alliance_secretary_may_check_in_their_events_only(org_user):
    secretary = secretary_of("elderly")
    start = timezone.now() - datetime.timedelta(minutes=5)
    own = EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("elderly"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    other = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    result = services.registration_check_in(
        registration=_confirmed(own, org_user), acting_user=secretary
    )
    assert result.registration.status == "attended"
    with pytest.raises(PermissionDenied):
        services.registration_check_in(
            registration=_confirmed(other, org_user), acting_user=secretary
        )


def test_mark_no_shows_after_start_only(org_user):
    staff = FederationStaffFactory()
    upcoming = EventFactory()
    register(upcoming, org_user)
    assert (
        refusal_code(services.registration_mark_no_shows, event=upcoming, acting_user=staff)
        == "event_not_started"
    )
    start = timezone.now() - datetime.timedelta(hours=1)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    came, missed = _confirmed(event, org_user), _confirmed(event, org_user)
    services.registration_check_in(registration=came, acting_user=staff)
    assert services.registration_mark_no_shows(event=event, acting_user=staff) == 1
    missed.refresh_from_db()
    came.refresh_from_db()
    assert (came.status, missed.status) == ("attended", "no_show")
    # A late arrival can still be checked in.
    services.registration_check_in(registration=missed, acting_user=staff)
    missed.refresh_from_db()
    assert missed.status == "attended"


def test_hours_correction_is_marked_and_bounded_by_the_event_length(event_now, org_user):
    staff = FederationStaffFactory()
    registration = _confirmed(event_now, org_user)
    services.registration_check_in(registration=registration, acting_user=staff)
    corrected = services.registration_hours_correct(
        registration=registration, hours=Decimal("2.5"), note="提前离开", acting_user=staff
    )
    assert corrected.hours == Decimal("2.50")
    assert corrected.hours_corrected and corrected.hours_corrected_by == staff
    assert corrected.hours_note == "提前离开"
    # Exactly the event length is allowed; a minute more is not.
    assert services.registration_hours_correct(
        registration=registration, hours=Decimal("3.00"), acting_user=staff
    ).hours == Decimal("3.00")
    for hours, code in [(Decimal("3.01"), "hours_above_length"), (Decimal("-1"), "hours_negative")]:
        assert (
            refusal_code(
                services.registration_hours_correct,
                registration=registration,
                hours=hours,
                acting_user=staff,
            )
            == code
        )
    registration.refresh_from_db()
    assert registration.hours == Decimal("3.00")


def test_hours_correction_refuses_a_not_attended_registration(event_now, org_user):
    registration = _confirmed(event_now, org_user)
    assert (
        refusal_code(
            services.registration_hours_correct,
            registration=registration,
            hours=Decimal("1"),
            acting_user=FederationStaffFactory(),
        )
        == "not_attended"
    )


def test_hours_correction_is_for_staff_or_the_secretary(event_now, org_user):
    registration = _confirmed(event_now, org_user)
    services.registration_check_in(registration=registration, acting_user=FederationStaffFactory())
    with pytest.raises(PermissionDenied):
        services.registration_hours_correct(
            registration=registration, hours=Decimal("1"), acting_user=org_user
        )


# --- E-mail through the outbox --------------------------------------------------------------


def test_confirmation_email_carries_the_token_and_an_svg_qr_code(
    org_user, django_capture_on_commit_callbacks
):
    event = EventFactory(title="月月·大篷车 三月")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, org_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org_user.email]
    assert registration.token in message.body
    html = message.alternatives[0][0]
    assert "<svg" in html and registration.token in message.body
    assert "月月·大篷车 三月" in message.subject


def test_waitlisted_and_visitor_emails(org_user, django_capture_on_commit_callbacks):
    from notifications.models import Message

    event = EventFactory(capacity=1, visitor_signup=True)
    register(event, org_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create_for_visitor(
            event=event, name="访客（虚构）", mobile="13700001234", email="visitor@example.com"
        )
    assert Message.objects.filter(kind="registration_waitlisted").count() == 1
    assert mail.outbox[-1].to == ["visitor@example.com"]
    # A visitor without an e-mail address gets no message, only the ticket page.
    before = Message.objects.count()
    services.registration_create_for_visitor(event=event, name="访客二", mobile="13700005678")
    assert Message.objects.count() == before


# --- Participants ------------------------------------------------------------------------------


def test_participant_create_normalises_and_refuses_duplicates(org_user):
    organisation = _org(org_user)
    participant = services.participant_create(
        organisation=organisation,
        name="陈*（虚构）",
        mobile="0086 138 0000 1234",
        role="volunteer",
        acting_user=org_user,
    )
    assert participant.mobile == "13800001234"
    assert participant.masked_mobile == "138****1234"
    assert (
        refusal_code(
            services.participant_create,
            organisation=organisation,
            name="重复",
            mobile="13800001234",
            role="staff",
            acting_user=org_user,
        )
        == "participant_duplicate"
    )
    with pytest.raises(PermissionDenied):
        services.participant_create(
            organisation=OrganisationFactory(),
            name="外人",
            mobile="13800009999",
            role="staff",
            acting_user=org_user,
        )


def test_event_update_recomputes_default_hours_and_caps_corrected_ones(event_now, org_user):
    staff = FederationStaffFactory()
    default, corrected = _confirmed(event_now, org_user), _confirmed(event_now, org_user)
    for registration in (default, corrected):
        services.registration_check_in(registration=registration, acting_user=staff)
    services.registration_hours_correct(
        registration=corrected, hours=Decimal("2.75"), acting_user=staff
    )
    services.event_update(
        event=event_now,
        acting_user=staff,
        ends_at=event_now.starts_at + datetime.timedelta(hours=2),
    )
    default.refresh_from_db()
    corrected.refresh_from_db()
    assert default.hours == Decimal("2.00") and not default.hours_corrected
    assert corrected.hours == Decimal("2.00") and corrected.hours_corrected
