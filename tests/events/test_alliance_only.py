"""Alliance-only activities: trainings and team building for the alliance's members only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alliances.models import AllianceMembership
from events import services
from events.models import Event, Registration
from events.selectors import alliance_quarter_plan
from tests.alliances.factories import AllianceMembershipFactory, alliance, secretary_of
from tests.federation.factories import OrgAdminFactory, error_codes

from .factories import EventFactory, ParticipantFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def training():
    return EventFactory(
        kind=Event.Kind.TRAINING,
        alliance=alliance("elderly"),
        audience=Event.Audience.MEMBERS,
        is_alliance_only=True,
        visitor_signup=True,
    )


def _register(event, organisation):
    participant = ParticipantFactory(organisation=organisation)
    return services.registration_create(
        event=event,
        participant=participant,
        acting_user=OrgAdminFactory(organisation=organisation).user,
    )


def test_member_of_the_alliance_registers(training):
    member = AllianceMembershipFactory(alliance=training.alliance).organisation
    assert _register(training, member).status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    "membership",
    [
        {"code": "youth", "status": AllianceMembership.Status.ACTIVE},  # another alliance
        {"code": "elderly", "status": AllianceMembership.Status.PENDING},  # not yet accepted
        {"code": "elderly", "status": AllianceMembership.Status.LEFT},
    ],
)
def test_other_organisations_are_refused_with_alliance_members_only(training, membership):
    organisation = AllianceMembershipFactory(
        alliance=alliance(membership["code"]), status=membership["status"]
    ).organisation
    with pytest.raises(ValidationError) as exc:
        _register(training, organisation)
    assert exc.value.code == "alliance_members_only"
    assert not Registration.objects.filter(event=training).exists()


def test_visitors_are_refused_with_alliance_members_only(training):
    Event.objects.filter(pk=training.pk).update(audience=Event.Audience.PUBLIC)
    training.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.registration_create_for_visitor(
            event=training, name="路人（虚构）", mobile="13900001234"
        )
    assert exc.value.code == "alliance_members_only"


def test_an_open_alliance_training_takes_any_member_organisation():
    open_training = EventFactory(kind=Event.Kind.TRAINING, alliance=alliance("elderly"))
    outsider = AllianceMembershipFactory(alliance=alliance("youth")).organisation
    assert _register(open_training, outsider).status == Registration.Status.CONFIRMED


def test_alliance_only_needs_an_organising_alliance():
    event = EventFactory.build(is_alliance_only=True, alliance=None)
    with pytest.raises(ValidationError) as exc:
        event.clean()
    assert "alliance_only_without_alliance" in error_codes(exc.value)


def test_secretary_sets_the_flag_through_the_service():
    secretary = secretary_of("elderly")
    event = services.event_create(
        acting_user=secretary,
        kind=Event.Kind.TEAM_BUILDING,
        title="为老服务联盟团队建设",
        starts_at=in_days(20, 10),
        ends_at=in_days(20, 12),
        alliance=alliance("elderly"),
        is_alliance_only=True,
    )
    assert event.is_alliance_only


def test_quarterly_plan_still_counts_alliance_only_activities(training):
    year = timezone.localtime(training.starts_at).year
    (row,) = alliance_quarter_plan(year=year, alliance=training.alliance)
    assert any(training in cell.events for cell in row.cells)


def test_event_page_says_who_may_register_and_hides_the_button_from_outsiders(client, training):
    outsider_admin = OrgAdminFactory(
        organisation=AllianceMembershipFactory(alliance=alliance("youth")).organisation
    ).user
    client.force_login(outsider_admin)
    url = reverse("events:event-detail", kwargs={"slug": training.slug})
    body = client.get(url).content.decode()
    assert alliance("elderly").name in body
    assert reverse("events:registration-create", kwargs={"slug": training.slug}) not in body
    assert reverse("events:visitor-signup", kwargs={"slug": training.slug}) not in body
    member_admin = OrgAdminFactory(
        organisation=AllianceMembershipFactory(alliance=training.alliance).organisation
    ).user
    client.force_login(member_admin)
    body = client.get(url).content.decode()
    assert reverse("events:registration-create", kwargs={"slug": training.slug}) in body
