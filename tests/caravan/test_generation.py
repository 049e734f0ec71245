import datetime

import pytest
from django.core.exceptions import PermissionDenied

from caravan.calendar import occurrence_for, rule_dates
from caravan.models import BoothSlot, Caravan, Shift
from caravan.services import caravan_generate, caravan_publish
from events.models import Event
from events.services import event_update
from tests.caravan.factories import series_with_plan
from tests.federation.factories import FederationStaffFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _held(caravans):
    return {c.scheduled_on: c for c in caravans}


def test_third_saturday_across_2026_moves_off_holidays_with_the_reason():
    series = series_with_plan()
    caravans = caravan_generate(
        series=series,
        months=12,
        first_month=datetime.date(2026, 1, 1),
        acting_user=FederationStaffFactory(),
    )
    assert len(caravans) == 12
    by_rule = _held(caravans)
    assert sorted(by_rule)[:3] == [
        datetime.date(2026, 1, 17),
        datetime.date(2026, 2, 21),
        datetime.date(2026, 3, 21),
    ]
    assert all(day.weekday() == 5 and 15 <= day.day <= 21 for day in by_rule)
    # 春节 2/15–2/23; Saturday 2/28 is a make-up working day, so Sunday 1 March.
    february = by_rule[datetime.date(2026, 2, 21)]
    assert february.held_on == datetime.date(2026, 3, 1)
    assert "2026-02-21" in february.moved_reason and "春节" in february.moved_reason
    assert "2026-03-01" in february.event.description
    dragon_boat = by_rule[datetime.date(2026, 6, 20)]
    assert dragon_boat.held_on == datetime.date(2026, 6, 27)
    assert "端午节" in dragon_boat.moved_reason
    ordinary = by_rule[datetime.date(2026, 5, 16)]
    assert ordinary.held_on == ordinary.scheduled_on and ordinary.moved_reason == ""
    event = ordinary.event
    assert event.kind == Event.Kind.CARAVAN and event.status == Event.Status.DRAFT
    assert event.starts_at.astimezone(datetime.UTC).hour == 1  # 09:00 Shanghai


def test_a_make_up_working_day_moves_to_the_next_rest_day():
    series = series_with_plan()
    caravans = _held(
        caravan_generate(
            series=series,
            months=12,
            first_month=datetime.date(2021, 1, 1),
            acting_user=FederationStaffFactory(),
        )
    )
    # Saturday 2021-02-20 and 2021-09-18 were make-up working days (调休).
    february = caravans[datetime.date(2021, 2, 20)]
    assert february.held_on == datetime.date(2021, 2, 21)
    assert "make-up" in february.moved_reason or "调休" in february.moved_reason
    september = caravans[datetime.date(2021, 9, 18)]
    # Sunday the 19th is 中秋 itself, so the next ordinary weekend day is the 25th.
    assert september.held_on == datetime.date(2021, 9, 25)


def test_a_year_without_an_official_calendar_is_kept_and_flagged():
    occurrence = occurrence_for(datetime.date(2099, 1, 17))
    assert occurrence.held_on == occurrence.scheduled_on
    assert occurrence.is_calendar_checked is False


def test_last_saturday_rule():
    assert rule_dates(
        weekday_index=5, week_of_month=-1, first_month=datetime.date(2026, 11, 1), months=2
    ) == [datetime.date(2026, 11, 28), datetime.date(2026, 12, 26)]


def test_generation_creates_booth_slots_and_shifts_from_the_plan():
    series = series_with_plan()
    (caravan,) = caravan_generate(
        series=series,
        months=1,
        first_month=datetime.date(2026, 5, 1),
        acting_user=FederationStaffFactory(),
    )
    assert BoothSlot.objects.filter(caravan=caravan).count() == 4
    shifts = list(Shift.objects.filter(post__event=caravan.event).select_related("event"))
    assert len(shifts) == 2 and {s.post_id for s in shifts} == {shifts[0].post_id}
    assert all(s.event.capacity == 2 and s.event.audience == "members" for s in shifts)
    # Venues rotate month by month.
    (june,) = caravan_generate(
        series=series,
        months=1,
        first_month=datetime.date(2026, 6, 1),
        acting_user=FederationStaffFactory(),
    )
    assert {caravan.event.venue_name, june.event.venue_name} == {"翰林府邸", "江宁路街道社区广场"}


def test_generating_twice_creates_nothing_twice_and_never_rewrites_an_edited_month():
    series = series_with_plan()
    staff = FederationStaffFactory()
    first = caravan_generate(
        series=series, months=3, first_month=datetime.date(2026, 3, 1), acting_user=staff
    )
    edited = first[1].event
    event_update(event=edited, acting_user=staff, title="四月大篷车（改在广场）")
    again = caravan_generate(
        series=series, months=4, first_month=datetime.date(2026, 3, 1), acting_user=staff
    )
    assert len(again) == 1  # only June is new
    assert Caravan.objects.filter(series=series).count() == 4
    assert BoothSlot.objects.filter(caravan__series=series).count() == 16
    edited.refresh_from_db()
    assert edited.title == "四月大篷车（改在广场）"
    assert Event.objects.get(pk=first[0].event_id).title != edited.title


def test_only_caravan_staff_generate():
    with pytest.raises(PermissionDenied):
        caravan_generate(series=series_with_plan(), months=1, acting_user=StaffFactory())


def test_publishing_a_caravan_publishes_its_shifts():
    staff = FederationStaffFactory()
    (caravan,) = caravan_generate(
        series=series_with_plan(),
        months=1,
        first_month=datetime.date(2026, 5, 1),
        acting_user=staff,
    )
    caravan_publish(caravan=caravan, acting_user=staff)
    assert set(
        Event.objects.filter(shift__post__event=caravan.event).values_list("status", flat=True)
    ) == {"published"}


def test_volunteer_shifts_stay_out_of_event_lists_calendar_and_feed(client):
    from events.selectors import event_calendar_month, event_list_feed, event_list_public

    staff = FederationStaffFactory()
    (caravan,) = caravan_generate(
        series=series_with_plan(),
        months=1,
        first_month=datetime.date(2030, 5, 1),
        acting_user=staff,
    )
    caravan_publish(caravan=caravan, acting_user=staff)
    shift = Shift.objects.filter(post__event=caravan.event).select_related("event").first()
    assert shift.event.kind == Event.Kind.VOLUNTEER_SHIFT
    month = datetime.date(2030, 5, 1)
    listed = set(event_list_public(month=month))
    assert caravan.event in listed and shift.event not in listed
    assert shift.event not in set(event_list_feed())
    days = [event for week in event_calendar_month(month=month) for d in week for event in d.events]
    assert caravan.event in days and shift.event not in days
    # Its own page (where members sign volunteers up) still answers.
    assert client.get(shift.event.get_absolute_url()).status_code == 200
