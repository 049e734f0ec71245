"""The personal-data retention job: who is anonymised, who is kept, what stays."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.test import override_settings
from django.utils import timezone

from events.models import Participant, Registration
from events.services.retention import personal_data_purge, placeholder_name
from events.tasks import personal_data_purge as purge_task
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_retention_one_year")]

OLD = 400  # days ago: past the 365-day period used here
RECENT = 100


@pytest.fixture
def _retention_one_year():
    with override_settings(PERSONAL_DATA_RETENTION_DAYS=365):
        yield


def _past_event(days_ago: int):
    return EventFactory(
        starts_at=in_days(-days_ago, 9),
        ends_at=in_days(-days_ago, 12),
        registration_closes_at=in_days(-days_ago - 1, 9),
    )


def _old_participant(**kwargs) -> Participant:
    participant = ParticipantFactory(**kwargs)
    Participant.objects.filter(pk=participant.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=OLD + 10)
    )
    participant.refresh_from_db()
    return participant


def _attended(event, participant, hours="3.00") -> Registration:
    return RegistrationFactory(
        event=event,
        participant=participant,
        status=Registration.Status.ATTENDED,
        hours=Decimal(hours),
        hours_note="提前离开（虚构）",
    )


def _visitor(event, mobile="13700000001", status=Registration.Status.ATTENDED):
    return RegistrationFactory(
        event=event,
        participant=None,
        organisation=None,
        name="访客（虚构）",
        mobile=mobile,
        email="visitor@example.invalid",
        status=status,
    )


def _totals():
    return (
        Registration.objects.aggregate(hours=Sum("hours"), rows=Count("pk")),
        dict(
            Registration.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        ),
        dict(
            Registration.objects.values_list("event_id")
            .annotate(n=Count("pk"))
            .values_list("event_id", "n")
        ),
    )


def test_old_past_participant_and_visitor_are_anonymised_totals_unchanged():
    old_event = _past_event(OLD)
    person = _old_participant(mobile="13900000001")
    registration = _attended(old_event, person)
    visitor = _visitor(old_event)
    before = _totals()

    result = personal_data_purge()

    assert (result.participants, result.registrations) == (1, 2)
    person.refresh_from_db()
    assert person.name == placeholder_name() and person.name != ""
    assert person.mobile == "" and not person.is_active and person.anonymised_at
    for row in (registration, visitor):
        row.refresh_from_db()
        assert row.name == placeholder_name()
        assert (row.mobile, row.email, row.hours_note) == ("", "", "")
        assert row.anonymised_at is not None
    registration.refresh_from_db()
    assert registration.hours == Decimal("3.00")
    assert registration.status == Registration.Status.ATTENDED
    assert _totals() == before


def test_recent_or_upcoming_participants_and_visitors_are_kept():
    old_event, recent_event = _past_event(OLD), _past_event(RECENT)
    upcoming = EventFactory()
    recent = _old_participant()
    _attended(old_event, recent)
    _attended(recent_event, recent)
    coming = _old_participant()
    _attended(old_event, coming)
    RegistrationFactory(event=upcoming, participant=coming)
    new_row = ParticipantFactory()  # created today, never registered
    visitor_old = _visitor(old_event, mobile="13700000002")
    _visitor(upcoming, mobile="13700000002", status=Registration.Status.CONFIRMED)

    result = personal_data_purge()

    assert (result.participants, result.registrations) == (0, 0)
    for row in (recent, coming, new_row):
        row.refresh_from_db()
        assert row.anonymised_at is None and row.mobile
    visitor_old.refresh_from_db()
    assert visitor_old.mobile == "13700000002"


def test_volunteer_record_and_caravan_duty_keep_a_participant():
    from caravan.models import Qualification
    from tests.caravan import factories as caravan
    from volunteers.models import Volunteer, VolunteerLink

    old_event = _past_event(OLD)
    linked = _old_participant()
    _attended(old_event, linked)
    VolunteerLink.objects.create(
        volunteer=Volunteer.objects.create(name="志愿者（虚构）"),
        participant=linked,
        method=VolunteerLink.Method.SINGLE,
    )
    on_duty = _old_participant()
    slot = caravan.slot_for(caravan.caravan_on(caravan.in_days(20)))
    caravan.hosted(slot, organisation=on_duty.organisation).people.add(on_duty)
    qualified = caravan.qualified(on_duty.organisation)
    Participant.objects.filter(pk=qualified.pk).update(created_at=on_duty.created_at)

    assert personal_data_purge().participants == 1

    for row in (linked, on_duty):
        row.refresh_from_db()
        assert row.anonymised_at is None
    qualified.refresh_from_db()
    assert qualified.anonymised_at is not None
    assert not Qualification.objects.filter(participant=qualified).exists()


def test_second_run_changes_nothing():
    old_event = _past_event(OLD)
    _attended(old_event, _old_participant())
    _attended(old_event, _old_participant())
    _visitor(old_event)
    first = personal_data_purge(batch_size=1)
    assert (first.participants, first.registrations) == (2, 3)
    snapshot = list(Registration.objects.values().order_by("pk"))
    people = list(Participant.objects.values().order_by("pk"))

    second = personal_data_purge()

    assert (second.participants, second.registrations) == (0, 0)
    assert list(Registration.objects.values().order_by("pk")) == snapshot
    assert list(Participant.objects.values().order_by("pk")) == people


def test_two_anonymised_rows_of_one_organisation_and_event_do_not_collide():
    old_event = _past_event(OLD)
    first = _old_participant()
    second = _old_participant(organisation=first.organisation)
    _attended(old_event, first)
    _attended(old_event, second)
    _visitor(old_event, mobile="13700000003")
    _visitor(old_event, mobile="13700000004")

    assert personal_data_purge().participants == 2
    assert Registration.objects.filter(event=old_event, mobile="").count() == 4


def test_dry_run_lists_ids_and_changes_nothing(capsys):
    old_event = _past_event(OLD)
    person = _old_participant()
    _attended(old_event, person)
    visitor = _visitor(old_event)
    snapshot = list(Registration.objects.values().order_by("pk"))

    call_command("purge_personal_data", "--dry-run")

    out = capsys.readouterr().out
    assert f"participant #{person.pk}" in out
    assert f"registration #{visitor.pk}" in out
    assert person.name not in out and person.mobile not in out
    assert list(Registration.objects.values().order_by("pk")) == snapshot
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_task_and_command_run_the_purge_and_log_no_personal_data(caplog, capsys):
    old_event = _past_event(OLD)
    person = _old_participant(mobile="13900000009")
    _attended(old_event, person)
    _visitor(old_event, mobile="13700000009")
    caplog.set_level(logging.DEBUG)

    assert purge_task() == {"participants": 1, "registrations": 2}
    call_command("purge_personal_data")

    logged = caplog.text + capsys.readouterr().out
    assert "1 participants" in logged
    for secret in (person.name, "13900000009", "13700000009", "visitor@example.invalid"):
        assert secret not in logged


def _staff_client(client, *, federation_staff: bool):
    from django.contrib.auth.models import Permission

    from tests.federation.factories import FederationStaffFactory, StaffFactory

    if federation_staff:
        user = FederationStaffFactory()
    else:  # staff who may read participants but hold no federation-staff role
        user = StaffFactory()
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_participant", "view_registration"])
        )
    client.force_login(user)
    return client


def test_federation_staff_erase_one_person_on_request_whatever_the_rule(client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.urls import reverse

    upcoming = EventFactory()
    person = ParticipantFactory()
    RegistrationFactory(event=upcoming, participant=person)
    visitor = _visitor(_past_event(RECENT))
    client = _staff_client(client, federation_staff=True)

    client.post(
        reverse("admin:events_participant_changelist"),
        {"action": "erase_participants", ACTION_CHECKBOX_NAME: [person.pk]},
    )
    client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "erase_visitors", ACTION_CHECKBOX_NAME: [visitor.pk]},
    )

    person.refresh_from_db()
    visitor.refresh_from_db()
    assert person.anonymised_at is not None and person.mobile == ""
    assert person.registrations.get().mobile == ""
    assert visitor.anonymised_at is not None and visitor.email == ""


def test_erase_action_needs_the_federation_staff_role(client):
    from django.urls import reverse

    ParticipantFactory()
    client = _staff_client(client, federation_staff=False)
    response = client.get(reverse("admin:events_participant_changelist"))
    assert response.status_code == 200
    assert b"erase_participants" not in response.content
    assert b"export_participants" not in response.content
    staff = _staff_client(client, federation_staff=True)
    page = staff.get(reverse("admin:events_participant_changelist")).content
    assert b"erase_participants" in page and b"export_participants" in page


def test_federation_staff_export_one_persons_data(client):
    import io

    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.urls import reverse
    from openpyxl import load_workbook

    person = ParticipantFactory(mobile="13900000077")
    _attended(_past_event(RECENT), person)
    idle = ParticipantFactory(mobile="13900000078")
    ParticipantFactory(mobile="13900000079")  # not selected
    visitor = _visitor(_past_event(RECENT), mobile="13700000077")
    client = _staff_client(client, federation_staff=True)

    def cells(url, action, pks):
        response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: pks})
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]

    exported = cells(
        reverse("admin:events_participant_changelist"),
        "export_participants",
        [person.pk, idle.pk],
    )
    assert "13900000077" in exported and "13900000078" in exported
    assert "13900000079" not in exported and 3 in exported
    exported = cells(
        reverse("admin:events_registration_changelist"), "export_visitors", [visitor.pk]
    )
    assert "13700000077" in exported and "visitor@example.invalid" in exported
