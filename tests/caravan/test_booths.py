import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, close_old_connections, connection, transaction

from caravan.models import BoothApplication
from caravan.services import booth_apply, booth_confirm, booth_decline, booth_withdraw
from caravan.validators import validate_scan
from notifications.models import Message
from tests.caravan.factories import caravan_on, hosted, in_days, qualified, slot_for
from tests.events.factories import ParticipantFactory
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    OrganisationFactory,
    error_codes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return OrgAdminFactory()


def _apply(slot, admin, people):
    return booth_apply(
        slot=slot, organisation=admin.organisation, people=people, acting_user=admin.user
    )


def test_a_qualified_nurse_takes_the_blood_pressure_slot(admin):
    slot = slot_for(caravan_on(in_days(20)))
    nurse = qualified(admin.organisation, "nurse")
    helper = ParticipantFactory(organisation=admin.organisation)
    application = _apply(slot, admin, [nurse, helper])
    assert application.status == BoothApplication.Status.PENDING
    assert set(application.people.all()) == {nurse, helper}


def test_qualification_missing_is_refused(admin):
    slot = slot_for(caravan_on(in_days(20)), "legal")
    nurse = qualified(admin.organisation, "nurse")  # a nurse is not a lawyer
    with pytest.raises(ValidationError) as error:
        _apply(slot, admin, [nurse])
    assert error_codes(error.value) == {"qualification_missing"}


def test_qualification_expiring_before_the_day_is_refused(admin):
    day = in_days(20)
    slot = slot_for(caravan_on(day))
    nurse = qualified(admin.organisation, "nurse", expires_on=day - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        _apply(slot, admin, [nurse])
    assert error_codes(error.value) == {"qualification_expired"}


def test_qualification_valid_on_the_day_itself_is_enough(admin):
    day = in_days(20)
    slot = slot_for(caravan_on(day))
    nurse = qualified(admin.organisation, "nurse", expires_on=day)
    assert _apply(slot, admin, [nurse]).pk


def test_a_kind_without_qualification_needs_only_people(admin):
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    with pytest.raises(ValidationError) as error:
        _apply(slot, admin, [])
    assert error_codes(error.value) == {"no_people"}
    assert _apply(slot, admin, [ParticipantFactory(organisation=admin.organisation)]).pk


def test_another_organisations_people_cannot_be_named(admin):
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    with pytest.raises(ValidationError) as error:
        _apply(slot, admin, [ParticipantFactory()])
    assert error_codes(error.value) == {"person_not_ours"}


def test_a_taken_slot_is_refused_and_a_declined_one_reopens(admin):
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    first = hosted(slot, status=BoothApplication.Status.PENDING)
    person = ParticipantFactory(organisation=admin.organisation)
    with pytest.raises(ValidationError) as error:
        _apply(slot, admin, [person])
    assert error_codes(error.value) == {"slot_taken"}
    booth_decline(application=first, reason="本月名额已满", acting_user=FederationStaffFactory())
    assert _apply(slot, admin, [person]).status == "pending"


def test_the_database_refuses_a_second_live_host():
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    hosted(slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        hosted(slot, status=BoothApplication.Status.PENDING)


def test_draft_or_cancelled_caravans_take_no_applications(admin):
    caravan = caravan_on(in_days(20), status="draft")
    with pytest.raises(ValidationError) as error:
        _apply(
            slot_for(caravan, "jewellery"),
            admin,
            [ParticipantFactory(organisation=admin.organisation)],
        )
    assert error_codes(error.value) == {"caravan_closed"}


def test_a_plain_member_cannot_apply():
    member = OrgAdminFactory(role="member")
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    with pytest.raises(PermissionDenied):
        _apply(slot, member, [ParticipantFactory(organisation=member.organisation)])


def test_confirm_and_decline_tell_the_applicant(admin):
    staff = FederationStaffFactory()
    caravan = caravan_on(in_days(20))
    person = ParticipantFactory(organisation=admin.organisation)
    one = _apply(slot_for(caravan, "jewellery"), admin, [person])
    two = _apply(slot_for(caravan, "fire-drill"), admin, [person])
    booth_confirm(application=one, acting_user=staff)
    with pytest.raises(ValidationError) as error:
        booth_decline(application=two, reason=" ", acting_user=staff)
    assert error_codes(error.value) == {"reason_required"}
    booth_decline(application=two, reason="消防演练本月由消防站承办", acting_user=staff)
    messages = Message.objects.filter(kind="booth_decided", recipient=admin.user)
    assert messages.count() == 2
    with pytest.raises(ValidationError) as error:
        booth_confirm(application=two, acting_user=staff)
    assert error_codes(error.value) == {"not_pending"}


def test_withdraw_until_the_cut_off(admin):
    caravan = caravan_on(in_days(20))
    application = _apply(
        slot_for(caravan, "jewellery"), admin, [ParticipantFactory(organisation=admin.organisation)]
    )
    assert booth_withdraw(application=application, acting_user=admin.user).status == "withdrawn"
    late = caravan_on(in_days(2))  # cut-off three days before
    application = hosted(slot_for(late, "jewellery"), admin.organisation)
    with pytest.raises(ValidationError) as error:
        booth_withdraw(application=application, acting_user=admin.user)
    assert error_codes(error.value) == {"past_cut_off"}
    with pytest.raises(PermissionDenied):
        booth_withdraw(application=application, acting_user=OrgAdminFactory().user)


def test_scans_are_checked_by_content():
    validate_scan(SimpleUploadedFile("cert.pdf", b"%PDF-1.7 certificate"))
    with pytest.raises(ValidationError) as error:
        validate_scan(SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf"))
    assert error_codes(error.value) == {"scan_content"}


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_applications_leave_exactly_one_host(postgres_only):
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    admins = [OrgAdminFactory() for _ in range(20)]
    people = {a.pk: ParticipantFactory(organisation=a.organisation) for a in admins}
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def apply(admin):
        try:
            barrier.wait()
            _apply(slot, admin, [people[admin.pk]])
            result = "ok"
        except ValidationError as exc:
            result = next(iter(error_codes(exc)))
        finally:
            close_old_connections()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=apply, args=(a,)) for a in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["slot_taken"] * 19
    assert slot.applications.filter(status__in=["pending", "confirmed"]).count() == 1
    assert connection.vendor == "postgresql"


def test_org_of_another_admin_is_not_a_host(admin):
    other = OrganisationFactory()
    slot = slot_for(caravan_on(in_days(20)), "jewellery")
    with pytest.raises(PermissionDenied):
        booth_apply(
            slot=slot,
            organisation=other,
            people=[ParticipantFactory(organisation=other)],
            acting_user=admin.user,
        )
