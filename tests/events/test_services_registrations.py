"""Registering, cancelling, the waiting list and their e-mails (events.services.registrations)."""

import datetime
from functools import partial

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.models import Event, Registration
from federation.models import Organisation
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    refusal_code,
)

from .factories import EventFactory, ParticipantFactory, in_days, register, resolved
from .factories import organisation_of as _org

pytestmark = pytest.mark.django_db


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
        ({"registration_opens_at": partial(in_days, 2)}, "registration_not_open"),
        (
            {
                "registration_opens_at": partial(in_days, -5),
                "registration_closes_at": partial(in_days, -1),
            },
            "registration_closed",
        ),
        (
            {"starts_at": partial(in_days, -1), "ends_at": partial(in_days, -1, 12)},
            "registration_closed",
        ),
        ({"status": Event.Status.COMPLETED}, "registration_closed"),
    ],
)
def test_registration_create_refuses_outside_window_or_status(org_user, event_kwargs, code):
    event = EventFactory(**resolved(event_kwargs))
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
    # One definition of "registration open": the page's answer and the service's agree.
    assert not event.is_registration_open()
    assert event.registration_refusal().code == code


def test_an_open_event_is_open_for_the_model_and_the_service(org_user):
    event = EventFactory(registration_opens_at=in_days(-1))
    assert event.registration_refusal() is None
    assert event.is_registration_open()
    assert register(event, org_user).status == Registration.Status.CONFIRMED


def test_registration_create_refuses_non_member_on_members_only_event():
    applicant = OrganisationFactory(status=Organisation.Status.APPLIED)
    user = OrgAdminFactory(organisation=applicant).user
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
    assert register(event, OrgAdminFactory().user).status == "confirmed"


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
    for outsider in (
        OrgAdminFactory().user,
        None,
        AnonymousUser(),
    ):
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


# --- E-mail through the outbox --------------------------------------------------------------


def test_confirmation_email_carries_the_check_in_code_and_an_svg_qr_code(
    org_user, django_capture_on_commit_callbacks
):
    event = EventFactory(title="月月·大篷车 三月")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, org_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org_user.email]
    assert registration.check_in_code_display in message.body
    html = message.alternatives[0][0]
    assert "<svg" in html and registration.check_in_code_display in html
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
