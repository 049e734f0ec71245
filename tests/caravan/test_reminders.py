"""Caravan reminders: open slots, qualifications expiring before the day, records missing."""

import datetime

import pytest

from caravan.models import BoothApplication
from core.timezone import SHANGHAI
from notifications.models import Message, ReminderRule
from notifications.services import reminder_plan
from tests.caravan.factories import caravan_on, hosted, qualified, slot_for
from tests.events.factories import ParticipantFactory
from tests.federation.factories import OrgAdminFactory
from tests.notifications.conftest import clock  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = datetime.date(2030, 3, 16)


@pytest.fixture
def plan(clock, django_capture_on_commit_callbacks):  # noqa: F811
    def run(day: datetime.date) -> None:
        clock.set(datetime.datetime.combine(day, datetime.time(9, 5), tzinfo=SHANGHAI))
        with django_capture_on_commit_callbacks(execute=True):
            reminder_plan()

    return run


def test_default_rules_exist():
    subjects = set(ReminderRule.objects.values_list("subject", "offset_days"))
    assert {
        ("booth_open_slots", 14),
        ("booth_qualification_expiring", 10),
        ("service_records_missing", -3),
    } <= subjects


def test_open_slots_reach_organisations_able_to_host_14_days_before(plan, clock):  # noqa: F811
    clock.set(datetime.datetime(2030, 2, 1, 9, tzinfo=SHANGHAI))
    caravan = caravan_on(DAY)
    slot_for(caravan, "blood-pressure")
    able = OrgAdminFactory()
    qualified(able.organisation, "nurse", expires_on=DAY)
    unable = OrgAdminFactory()
    qualified(unable.organisation, "nurse", expires_on=DAY - datetime.timedelta(days=1))
    plan(DAY - datetime.timedelta(days=15))
    assert not Message.objects.filter(kind="booth_open_slots").exists()
    plan(DAY - datetime.timedelta(days=14))
    plan(DAY - datetime.timedelta(days=14))
    messages = Message.objects.filter(kind="booth_open_slots")
    assert [m.recipient_id for m in messages] == [able.user_id]
    assert "血压检测" in messages[0].context["services"]


def test_a_host_without_a_valid_qualification_is_told(plan, clock):  # noqa: F811
    clock.set(datetime.datetime(2030, 2, 1, 9, tzinfo=SHANGHAI))
    caravan = caravan_on(DAY)
    host = OrgAdminFactory()
    application = hosted(slot_for(caravan, "legal"), host.organisation)
    application.people.add(
        qualified(host.organisation, "lawyer", expires_on=DAY - datetime.timedelta(days=2))
    )
    fine = OrgAdminFactory()
    other = hosted(slot_for(caravan, "legal", 2), fine.organisation)
    other.people.add(qualified(fine.organisation, "lawyer", expires_on=DAY))
    plan(DAY - datetime.timedelta(days=10))
    assert [
        m.recipient_id for m in Message.objects.filter(kind="booth_qualification_expiring")
    ] == [host.user_id]


def test_missing_records_three_days_after(plan, clock):  # noqa: F811
    clock.set(datetime.datetime(2030, 2, 1, 9, tzinfo=SHANGHAI))
    caravan = caravan_on(DAY)
    host = OrgAdminFactory()
    hosted(slot_for(caravan, "jewellery"), host.organisation)
    declined = OrgAdminFactory()
    hosted(
        slot_for(caravan, "fire-drill"),
        declined.organisation,
        status=BoothApplication.Status.DECLINED,
        decline_reason="本月已有消防站承办",
    )
    ParticipantFactory(organisation=host.organisation)
    plan(DAY + datetime.timedelta(days=2))
    assert not Message.objects.filter(kind="service_records_missing").exists()
    plan(DAY + datetime.timedelta(days=3))
    assert [m.recipient_id for m in Message.objects.filter(kind="service_records_missing")] == [
        host.user_id
    ]
