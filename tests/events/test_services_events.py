"""Creating, updating and cancelling events (events.services.events)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.alliances.factories import alliance, secretary_of
from tests.federation.factories import FederationStaffFactory, refusal_code

from .factories import EventFactory, in_days, register

pytestmark = pytest.mark.django_db


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
