"""Late annual inspections: each hub's staff hear about their own street's, after the deadline."""

import datetime

import pytest

from federation.models import AnnualInspection, Organisation
from notifications.models import Message
from notifications.services import reminder_plan
from tests.federation.factories import OrganisationFactory
from tests.notifications.conftest import clock  # noqa: F401  (fixture)
from tests.notifications.factories import shanghai

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(clock, django_capture_on_commit_callbacks):  # noqa: F811
    def run(at: datetime.datetime) -> dict:
        clock.set(at)
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_plan()

    return run


def _late_agency(side, name: str, **fields) -> Organisation:
    return OrganisationFactory(
        name=name,
        street=side.hub.street,
        legal_form=Organisation.LegalForm.SERVICE_AGENCY,
        established_on=datetime.date(2015, 1, 1),
        **fields,
    )


def test_hub_staff_are_told_of_their_streets_late_inspections(plan, side_a, side_b):
    late = _late_agency(side_a, "迟交年报服务社（虚构）")
    done = _late_agency(side_a, "已交年报服务社（虚构）")
    AnnualInspection.objects.create(
        organisation=done,
        year=2025,
        status=AnnualInspection.Status.SUBMITTED,
        submitted_at=shanghai(2026, 5, 1, 10),
    )
    # The day after 31 May 2026, 09:00 Shanghai (rule offset -1).
    plan(shanghai(2026, 6, 1, 9, 5))
    messages = Message.objects.filter(kind="hub_inspection_late")
    recipients = {message.recipient_id for message in messages}
    assert side_a.user.pk in recipients
    mine = messages.get(recipient=side_a.user)
    assert late.name in mine.context["organisation_names"]
    assert done.name not in mine.context["organisation_names"]
    # Street B has its own late organisation from the fixture only if it files; B's staff
    # never see A's organisations.
    for message in messages.filter(recipient=side_b.user):
        assert late.name not in message.context["organisation_names"]


def test_nothing_before_the_deadline_has_passed(plan, side_a):
    _late_agency(side_a, "迟交年报服务社（虚构）")
    plan(shanghai(2026, 5, 30, 9, 5))
    assert not Message.objects.filter(kind="hub_inspection_late").exists()


def test_a_second_run_adds_nothing(plan, side_a):
    _late_agency(side_a, "迟交年报服务社（虚构）")
    plan(shanghai(2026, 6, 1, 9, 5))
    count = Message.objects.filter(kind="hub_inspection_late").count()
    assert count >= 1
    plan(shanghai(2026, 6, 1, 9, 20))
    assert Message.objects.filter(kind="hub_inspection_late").count() == count


def test_the_inspection_page_marks_late_ones(client, side_a):
    late = _late_agency(side_a, "迟交年报服务社（虚构）")
    client.force_login(side_a.user)
    import django.utils.timezone as tz

    year = tz.localdate().year - 1
    response = client.get("/streets/hub/inspections/", {"year": year})
    rows = {row.organisation.pk: row for row in response.context["rows"]}
    # Late once 31 May of the following year has passed.
    assert rows[late.pk].is_late == (tz.localdate() > datetime.date(year + 1, 5, 31))
