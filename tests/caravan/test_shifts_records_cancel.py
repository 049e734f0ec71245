import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import timezone

from caravan.models import BoothApplication, Shift
from caravan.selectors import record_totals
from caravan.services import (
    HistoryRow,
    caravan_cancel,
    caravan_generate,
    caravan_publish,
    service_record_import,
    service_record_post_proceeds,
    service_record_save,
    volunteer_post_create,
)
from events.models import Registration
from events.services import registration_check_in, registration_create
from funds.chart import seed_spring_bud_fund
from funds.models import Account, CharitySale, Fund, JournalEntry
from notifications.models import Message
from tests.caravan.factories import (
    caravan_on,
    hosted,
    in_days,
    kind,
    record,
    series_with_plan,
    slot_for,
)
from tests.events.factories import EventFactory, ParticipantFactory
from tests.federation.factories import (
    FederationStaffFactory,
    OrgAdminFactory,
    error_codes,
)
from tests.funds.factories import FundManagerFactory

pytestmark = pytest.mark.django_db


def _published_caravan_with_shifts(first_month):
    staff = FederationStaffFactory()
    (caravan,) = caravan_generate(
        series=series_with_plan(), months=1, first_month=first_month, acting_user=staff
    )
    caravan_publish(caravan=caravan, acting_user=staff)
    return caravan, staff


def _next_month():
    today = timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


# --- Volunteer shifts -----------------------------------------------------------------


def test_shift_capacity_waitlists_the_third_volunteer(ordinary_day):
    caravan, _staff = _published_caravan_with_shifts(_next_month())
    shift = Shift.objects.filter(post__event=caravan.event).select_related("event").first()
    admin = OrgAdminFactory()
    people = [ParticipantFactory(organisation=admin.organisation) for _ in range(3)]
    statuses = [
        registration_create(event=shift.event, participant=p, acting_user=admin.user).status
        for p in people
    ]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_attended_shifts_credit_hours_per_shift_not_per_event(ordinary_day, settings):
    staff = FederationStaffFactory()
    event = EventFactory(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    start = event.starts_at
    post = volunteer_post_create(
        event=event,
        title="秩序维护",
        shifts=[
            (start, start + datetime.timedelta(hours=1), 2),
            (
                start + datetime.timedelta(hours=1),
                start + datetime.timedelta(hours=2, minutes=30),
                2,
            ),
        ],
        acting_user=staff,
    )
    first, second = [s.event for s in post.shifts.order_by("event__starts_at")]
    admin = OrgAdminFactory()
    person = ParticipantFactory(organisation=admin.organisation)
    Registration.objects.bulk_create(
        [
            Registration(
                event=e,
                participant=person,
                organisation=admin.organisation,
                name=person.name,
                mobile=person.mobile,
                status="confirmed",
                seat=1,
            )
            for e in (first, second)
        ]
    )
    for registration in Registration.objects.filter(participant=person):
        registration_check_in(registration=registration, acting_user=staff)
    hours = sorted(Registration.objects.filter(participant=person).values_list("hours", flat=True))
    assert hours == [Decimal("1.00"), Decimal("1.50")]


# --- Service records ------------------------------------------------------------------


def test_totals_by_kind_month_and_year():
    record("blood-pressure", datetime.date(2025, 3, 15), 40)
    record("blood-pressure", datetime.date(2025, 3, 15), 25)
    record("legal", datetime.date(2025, 3, 15), 12)
    record("blood-pressure", datetime.date(2025, 4, 19), 30)
    record("legal", datetime.date(2010, 5, 15), 8, source="import")
    totals = record_totals(year=2025)
    assert totals.by_kind == {"blood-pressure": 95, "legal": 12}
    assert totals.by_month[3] == 77 and totals.by_month[4] == 30
    assert totals.year_total == 107
    assert totals.all_time_people == 115
    assert totals.by_year[2010] == 8 and totals.by_year[2025] == 107


def test_the_host_records_people_served_after_the_day_only():
    admin = OrgAdminFactory()
    application = hosted(slot_for(caravan_on(in_days(-1))), admin.organisation)
    saved = service_record_save(application=application, people_served=48, acting_user=admin.user)
    assert saved.people_served == 48 and saved.held_on == in_days(-1)
    again = service_record_save(application=application, people_served=50, acting_user=admin.user)
    assert again.pk == saved.pk and again.people_served == 50
    future = hosted(slot_for(caravan_on(in_days(5))), admin.organisation)
    with pytest.raises(ValidationError) as error:
        service_record_save(application=future, people_served=1, acting_user=admin.user)
    assert error_codes(error.value) == {"too_early"}


def test_a_sale_needs_its_turnover_and_computes_proceeds():
    admin = OrgAdminFactory()
    application = hosted(slot_for(caravan_on(in_days(-2)), "vegetable-basket"), admin.organisation)
    with pytest.raises(ValidationError) as error:
        service_record_save(application=application, people_served=20, acting_user=admin.user)
    assert error_codes(error.value) == {"turnover_required"}
    saved = service_record_save(
        application=application,
        people_served=20,
        turnover=Decimal("600.00"),
        acting_user=admin.user,
    )
    assert saved.proceeds == Decimal("600.00")  # 100 % of the baskets


def _sale_record():
    seed_spring_bud_fund(Fund, Account)
    admin = OrgAdminFactory()
    application = hosted(slot_for(caravan_on(in_days(-2)), "brand-sale"), admin.organisation)
    return service_record_save(
        application=application,
        people_served=60,
        turnover=Decimal("1800.00"),
        acting_user=admin.user,
    )


def test_proceeds_are_posted_once():
    saved = _sale_record()
    manager = FundManagerFactory(federation_staff=True)
    sale = service_record_post_proceeds(record=saved, received_on=in_days(-1), acting_user=manager)
    assert sale.proceeds == Decimal("360.00")  # 20 % of a brand-name sale
    with pytest.raises(ValidationError) as error:
        service_record_post_proceeds(record=saved, received_on=in_days(-1), acting_user=manager)
    assert error_codes(error.value) == {"already_posted"}
    assert CharitySale.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        service_record_save(
            application=saved.application,
            people_served=1,
            turnover=Decimal("1"),
            acting_user=saved.application.organisation.members.first().user,
        )
    assert error_codes(error.value) == {"record_posted"}


def test_only_fund_managers_post_proceeds():
    saved = _sale_record()
    with pytest.raises(ValidationError) as error:
        service_record_post_proceeds(
            record=saved, received_on=in_days(-1), acting_user=FederationStaffFactory()
        )
    assert error_codes(error.value) == {"not_allowed"}


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_posts_the_proceeds_once(postgres_only):
    saved = _sale_record()
    manager = FundManagerFactory(federation_staff=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def post():
        try:
            barrier.wait()
            service_record_post_proceeds(record=saved, received_on=in_days(-1), acting_user=manager)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(next(iter(error_codes(exc))))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_posted", "ok"]
    assert JournalEntry.objects.filter(submission_key=saved.posting_key).count() == 1


def test_history_import_is_all_or_nothing():
    staff = FederationStaffFactory()
    rows = [
        HistoryRow(datetime.date(2009, 6, 20), "blood-pressure", 35),
        HistoryRow(datetime.date(2009, 6, 20), "no-such-kind", 3),
    ]
    with pytest.raises(ValidationError) as error:
        service_record_import(rows=rows, acting_user=staff)
    assert error_codes(error.value) == {"unknown_service"}
    assert service_record_import(rows=rows[:1], acting_user=staff) == 1
    assert record_totals(year=2009).by_year[2009] == 35


# --- Weather cancellation -------------------------------------------------------------


def test_weather_cancellation_tells_each_person_once(ordinary_day):
    caravan, staff = _published_caravan_with_shifts(_next_month())
    host = OrgAdminFactory()
    volunteer_admin = OrgAdminFactory()
    slots = list(caravan.slots.filter(service_kind=kind("blood-pressure")))
    for slot in slots:  # one host, two booths, and it also sends volunteers
        hosted(slot, host.organisation).__class__.objects.filter(slot=slot).update(
            applied_by=host.user
        )
    shifts = [s.event for s in Shift.objects.filter(post__event=caravan.event)]
    for event in shifts:
        for admin in (host, volunteer_admin):
            registration_create(
                event=event,
                participant=ParticipantFactory(organisation=admin.organisation),
                acting_user=admin.user,
            )
    caravan_cancel(caravan=caravan, reason="台风橙色预警，本月暂停", acting_user=staff)
    messages = Message.objects.filter(kind="caravan_cancelled")
    assert sorted(m.recipient_id for m in messages) == sorted(
        [host.user_id, volunteer_admin.user_id]
    )
    assert all(m.context["reason"] == "台风橙色预警，本月暂停" for m in messages)
    assert not Registration.objects.filter(event__in=shifts).exclude(status="cancelled").exists()
    caravan.event.refresh_from_db()
    assert caravan.event.status == "cancelled"
    with pytest.raises(ValidationError) as error:
        caravan_cancel(caravan=caravan, reason="again", acting_user=staff)
    assert error_codes(error.value) == {"not_cancellable"}
    assert BoothApplication.objects.filter(slot__caravan=caravan).count() == 2
