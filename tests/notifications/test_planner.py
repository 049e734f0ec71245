"""The planner: reminder rows per rule, deduplicated, with catch-up after downtime."""

import datetime

import pytest
from django.core import mail

from alliances.models import Alliance, AllianceMembership
from events.models import Event, Registration
from federation.models import AnnualInspection, Organisation
from notifications.models import Message, ReminderRule
from notifications.services import reminder_plan
from tests.federation.factories import (
    OrgAdminFactory,
    OrganisationFactory,
    OrganisationMemberFactory,
    UserFactory,
)
from tests.notifications.factories import EventFactory, RegistrationFactory, shanghai

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(clock, django_capture_on_commit_callbacks):
    def run(at: datetime.datetime) -> dict:
        clock.set(at)
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_plan()

    return run


def sent(kind: str = "event_starts"):
    return Message.objects.filter(kind=kind, state=Message.State.SENT)


# --- event starts ---------------------------------------------------------------------


@pytest.fixture
def event_with_people(clock):
    clock.set(shanghai(2030, 1, 1, 12))
    event = EventFactory(starts_at=shanghai(2030, 3, 1, 10))
    english = UserFactory(email="english.reader@example.com", language="en")
    RegistrationFactory(event=event, email="English.Reader@example.com")
    RegistrationFactory(event=event, email="visitor@example.com")
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    cancelled = EventFactory(
        starts_at=event.starts_at, status=Event.Status.CANCELLED, cancelled_reason="暴雨"
    )
    RegistrationFactory(event=cancelled)
    return event, english


def test_planner_sends_event_reminders_3_days_and_1_day_before_at_nine(plan, event_with_people):
    event, english = event_with_people
    assert plan(shanghai(2030, 2, 26, 8, 59))["created"] == 0
    assert plan(shanghai(2030, 2, 26, 9, 0))["created"] == 2
    assert len(mail.outbox) == 2
    assert {tuple(m.to) for m in mail.outbox} == {(english.email,), ("visitor@example.com",)}
    # the participant with an account is written to in their language, as that account
    assert Message.objects.get(recipient=english).language == "en"
    assert plan(shanghai(2030, 2, 26, 9, 5)) == {"created": 0, "skipped": 0, "existing": 2}
    assert plan(shanghai(2030, 2, 28, 9, 0))["created"] == 2
    assert len(mail.outbox) == 4
    assert sent().count() == 4
    offsets = sorted(sent().values_list("rule__offset_days", flat=True))
    assert offsets == [1, 1, 3, 3]


def test_planner_run_twice_creates_each_reminder_once(plan, event_with_people):
    plan(shanghai(2030, 2, 26, 9, 0))
    plan(shanghai(2030, 2, 26, 9, 0))
    assert Message.objects.count() == 2
    assert len(mail.outbox) == 2


def test_planner_ignores_cancelled_events_and_waitlisted_people(plan, event_with_people):
    plan(shanghai(2030, 2, 26, 9, 0))
    assert not Message.objects.exclude(context__event_title=event_with_people[0].title).exists()
    assert Message.objects.count() == 2


def test_planner_skips_inactive_rules(plan, event_with_people):
    ReminderRule.objects.filter(subject="event_starts").update(is_active=False)
    plan(shanghai(2030, 2, 28, 9, 0))
    assert Message.objects.count() == 0


def test_planner_catch_up_sends_only_the_latest_reminder_before_the_event(plan, event_with_people):
    # Down from before the 3-day moment until after the 1-day moment.
    counts = plan(shanghai(2030, 2, 28, 15, 0))
    assert counts == {"created": 2, "skipped": 2, "existing": 0}
    assert sorted(sent().values_list("rule__offset_days", flat=True)) == [1, 1]
    skipped = Message.objects.filter(state=Message.State.SKIPPED)
    assert set(skipped.values_list("skip_reason", flat=True)) == {Message.SkipReason.TOO_LATE}
    assert set(skipped.values_list("rule__offset_days", flat=True)) == {3}
    assert len(mail.outbox) == 2


def test_planner_catch_up_still_sends_a_missed_reminder_that_makes_sense(plan, event_with_people):
    plan(shanghai(2030, 2, 27, 12, 0))  # down over the 3-day moment only
    assert sorted(sent().values_list("rule__offset_days", flat=True)) == [3, 3]


def test_planner_marks_reminders_too_late_once_the_event_started(plan, event_with_people):
    counts = plan(shanghai(2030, 3, 1, 11, 0))
    assert counts == {"created": 0, "skipped": 4, "existing": 0}
    assert mail.outbox == []
    assert not Message.objects.exclude(skip_reason=Message.SkipReason.TOO_LATE).exists()


def test_planner_does_not_send_a_reminder_due_before_the_registration(plan, clock):
    clock.set(shanghai(2030, 1, 1, 12))
    event = EventFactory(starts_at=shanghai(2030, 3, 1, 10))
    RegistrationFactory(event=event, created_at=shanghai(2030, 2, 27, 8))
    plan(shanghai(2030, 2, 27, 12, 0))
    assert Message.objects.count() == 0
    plan(shanghai(2030, 2, 28, 9, 0))
    assert sent().count() == 1


def test_planner_writes_to_whoever_registered_a_participant_without_address(plan, clock):
    clock.set(shanghai(2030, 1, 1, 12))
    org_user = UserFactory()
    RegistrationFactory(
        event=EventFactory(starts_at=shanghai(2030, 3, 1, 10)), email="", registered_by=org_user
    )
    plan(shanghai(2030, 2, 28, 9, 0))
    assert mail.outbox[0].to == [org_user.email]


# --- registration closes ---------------------------------------------------------------


def _admin_of(organisation):
    return OrgAdminFactory(organisation=organisation).user


def test_planner_reminds_alliance_organisations_that_have_not_registered(plan, clock):
    clock.set(shanghai(2030, 1, 1, 12))
    alliance = Alliance.objects.get(code="elderly")
    registered, silent, applicant = OrganisationFactory.create_batch(3)
    for organisation, status in (
        (registered, AllianceMembership.Status.ACTIVE),
        (silent, AllianceMembership.Status.ACTIVE),
        (applicant, AllianceMembership.Status.PENDING),
    ):
        AllianceMembership.objects.create(
            organisation=organisation, alliance=alliance, status=status
        )
    admins = {org: _admin_of(org) for org in (registered, silent, applicant)}
    OrganisationMemberFactory(organisation=silent)  # a plain member: not reminded
    event = EventFactory(
        alliance=alliance,
        kind=Event.Kind.TRAINING,
        starts_at=shanghai(2030, 3, 10, 14),
        registration_closes_at=shanghai(2030, 3, 5, 18),
    )
    RegistrationFactory(event=event, participant__organisation=registered)

    plan(shanghai(2030, 3, 3, 8, 0))
    assert not Message.objects.exists()
    plan(shanghai(2030, 3, 3, 9, 0))
    message = Message.objects.get(kind="registration_closes")
    assert message.recipient == admins[silent]
    assert message.state == Message.State.SENT
    assert mail.outbox[0].to == [admins[silent].email]


# --- alliance quarter missing -----------------------------------------------------------


def test_planner_reminds_the_secretary_of_a_quarter_without_team_building(plan, clock):
    clock.set(shanghai(2030, 1, 1, 12))
    alliances = list(Alliance.objects.order_by("pk")[:3])
    secretaries = []
    for alliance in alliances:
        alliance.secretary = UserFactory()
        alliance.save(update_fields=["secretary"])
        secretaries.append(alliance.secretary)
    busy, half, idle = alliances
    for kind in (Event.Kind.TRAINING, Event.Kind.TEAM_BUILDING):
        EventFactory(alliance=busy, kind=kind, starts_at=shanghai(2030, 2, 10, 9))
    EventFactory(alliance=half, kind=Event.Kind.TRAINING, starts_at=shanghai(2030, 3, 20, 9))
    # a cancelled team building does not count; one in the next quarter neither
    EventFactory(
        alliance=half,
        kind=Event.Kind.TEAM_BUILDING,
        starts_at=shanghai(2030, 3, 21, 9),
        status=Event.Status.CANCELLED,
        cancelled_reason="场地取消",
    )
    EventFactory(alliance=idle, kind=Event.Kind.TEAM_BUILDING, starts_at=shanghai(2030, 4, 1, 9))

    plan(shanghai(2030, 3, 10, 8, 59))
    assert not Message.objects.exists()
    plan(shanghai(2030, 3, 10, 9, 0))
    messages = {m.recipient_id: m for m in Message.objects.filter(kind="alliance_quarter_missing")}
    assert set(messages) == {secretaries[1].pk, secretaries[2].pk}
    assert messages[secretaries[1].pk].context["missing_codes"] == ["team_building"]
    assert messages[secretaries[2].pk].context["missing_codes"] == ["team_building", "training"]
    assert len(mail.outbox) == 2
    # The mail links straight to the secretary's page of that alliance.
    body = {m.to[0]: m.body for m in mail.outbox}[secretaries[1].email]
    assert f"/alliances/{half.code}/manage/" in body


# --- annual inspection due ---------------------------------------------------------------


def test_planner_reminds_admins_whose_inspection_report_is_not_submitted(plan, clock):
    clock.set(shanghai(2030, 1, 1, 12))
    submitted, not_submitted, no_row = OrganisationFactory.create_batch(3)
    foundation = OrganisationFactory(legal_form=Organisation.LegalForm.FOUNDATION)
    lapsed = OrganisationFactory(status=Organisation.Status.LAPSED)
    admins = {org: _admin_of(org) for org in (submitted, not_submitted, no_row, foundation, lapsed)}
    AnnualInspection.objects.create(
        organisation=submitted,
        year=2029,
        status=AnnualInspection.Status.SUBMITTED,
        submitted_at=shanghai(2030, 2, 1, 10),
    )
    AnnualInspection.objects.create(organisation=not_submitted, year=2029)

    plan(shanghai(2030, 3, 1, 9, 0))  # 30 days before 31 March: foundations report then
    assert set(Message.objects.values_list("recipient", flat=True)) == {admins[foundation].pk}
    plan(shanghai(2030, 5, 1, 9, 0))  # 30 days before 31 May
    may = Message.objects.filter(context__due_on__value="2030-05-31")
    assert set(may.values_list("recipient", flat=True)) == {
        admins[not_submitted].pk,
        admins[no_row].pk,
    }
    assert may.first().context["year"] == 2029
    plan(shanghai(2030, 5, 24, 9, 0))  # and 7 days before
    assert Message.objects.filter(context__due_on__value="2030-05-31").count() == 4
    assert sent("inspection_due").count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_create_each_reminder_once(postgres_only, clock):
    import importlib

    from django.apps import apps

    from tests.notifications.test_dispatcher import _race

    # a transactional test before this one may have flushed the migration's rules
    importlib.import_module("notifications.migrations.0002_default_reminder_rules").create_rules(
        apps, None
    )
    importlib.import_module(
        "notifications.migrations.0004_reminder_templates_in_owning_apps"
    ).forwards(apps, None)
    clock.set(shanghai(2030, 1, 1, 12))
    for round_number in range(10):
        starts_at = shanghai(2030, 3, 1, 10) + datetime.timedelta(weeks=round_number)
        event = EventFactory(starts_at=starts_at)
        for person in range(4):
            RegistrationFactory(
                event=event,
                participant=None,
                organisation=None,
                name=f"访客{person}（虚构）",
                mobile=f"1360000{round_number:02d}{person:02d}",
                email=f"race{round_number}-{person}@example.com",
            )
        mail.outbox.clear()
        clock.set(starts_at.replace(hour=9) - datetime.timedelta(days=3))  # the 3-day moment
        results = _race(reminder_plan)
        assert sum(result["created"] for result in results) == 4
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            f"race{round_number}-{person}@example.com" for person in range(4)
        )
