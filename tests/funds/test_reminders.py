"""Fund reminders: pledge instalments overdue (fund managers), grant reports due (grantee)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from funds import services as fund_services
from funds.chart import seed_spring_bud_fund
from funds.models import Account, Fund, PledgeInstalment
from funds.reminders import grant_report_due_at, pledge_overdue_due_at
from notifications.models import Message, ReminderRule
from notifications.services import reminder_plan
from tests.federation.factories import OrgAdminFactory
from tests.funds.factories import FundManagerFactory
from tests.notifications.factories import shanghai

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(clock, django_capture_on_commit_callbacks):
    def run(at: datetime.datetime) -> dict:
        clock.set(at)
        with django_capture_on_commit_callbacks(execute=True):
            return reminder_plan()

    return run


def rule(offset_days: int) -> ReminderRule:
    return ReminderRule(subject="x", offset_days=offset_days, time_of_day=datetime.time(9))


@pytest.mark.parametrize(
    ("due_on", "offset", "expected"),
    [
        (datetime.date(2024, 2, 28), -1, shanghai(2024, 2, 29, 9)),  # leap day
        (datetime.date(2023, 2, 28), -1, shanghai(2023, 3, 1, 9)),
        (datetime.date(2024, 12, 31), -1, shanghai(2025, 1, 1, 9)),
        (datetime.date(2024, 4, 30), -7, shanghai(2024, 5, 7, 9)),
    ],
)
def test_pledge_overdue_due_at_is_days_after_the_instalment(due_on, offset, expected):
    assert pledge_overdue_due_at(due_on=due_on, rule=rule(offset)) == expected


@pytest.mark.parametrize(
    ("report_due_on", "offset", "expected"),
    [
        (datetime.date(2024, 3, 6), 7, shanghai(2024, 2, 28, 9)),
        (datetime.date(2024, 3, 7), 7, shanghai(2024, 2, 29, 9)),  # leap day
        (datetime.date(2023, 3, 7), 7, shanghai(2023, 2, 28, 9)),
        (datetime.date(2025, 1, 3), 7, shanghai(2024, 12, 27, 9)),
    ],
)
def test_grant_report_due_at_is_days_before_the_report_date(report_due_on, offset, expected):
    assert grant_report_due_at(report_due_on=report_due_on, rule=rule(offset)) == expected


def test_planner_tells_fund_managers_about_an_unpaid_instalment(plan, clock):
    clock.set(shanghai(2030, 1, 10, 12))
    fund = seed_spring_bud_fund(Fund, Account)
    managers = [FundManagerFactory(), FundManagerFactory()]
    pledge = fund_services.pledge_create(
        fund=fund,
        new_donor=fund_services.NewDonor(kind="company", name="上海城市福祉社（虚构）"),
        description="每月20篮蔬菜义卖",
        income_kind="charity_sale",
        starts_on=datetime.date(2030, 2, 1),
        instalment_count=3,
        acting_user=managers[0],
    )
    first = pledge.instalments.get(sequence=1)
    assert first.due_on == datetime.date(2030, 2, 1)

    plan(shanghai(2030, 2, 2, 8, 59))
    assert not Message.objects.exists()
    plan(shanghai(2030, 2, 2, 9, 0))
    messages = Message.objects.filter(kind="pledge_overdue")
    assert set(messages.values_list("recipient", flat=True)) == {m.pk for m in managers}
    assert set(messages.values_list("state", flat=True)) == {Message.State.SENT}
    assert len(mail.outbox) == 2
    assert pledge.code in mail.outbox[0].subject

    # a received instalment is not overdue
    second = pledge.instalments.get(sequence=2)
    clock.set(shanghai(2030, 3, 1, 12))
    fund_services.pledge_instalment_receive(
        instalment=second,
        amount=Decimal("300.00"),
        received_on=second.due_on,
        acting_user=managers[0],
    )
    plan(shanghai(2030, 3, 2, 9, 0))
    assert messages.filter(context__sequence=2).count() == 0
    assert PledgeInstalment.objects.get(pk=second.pk).status == PledgeInstalment.Status.RECEIVED


def test_planner_reminds_the_grantee_before_the_final_report_is_due(plan, clock):
    from tests.funds.factories import give, grant_under_review

    clock.set(shanghai(2030, 1, 2, 12))
    fund = seed_spring_bud_fund(Fund, Account)
    reviewer, first_approver, second_approver = (
        FundManagerFactory(),
        FundManagerFactory(),
        FundManagerFactory(),
    )
    give(fund, reviewer, "5000.00", days_ago=1)
    org_admin = OrgAdminFactory()
    grant = grant_under_review(
        fund,
        org_admin.user,
        org_admin.organisation,
        reviewer,
        starts_on=datetime.date(2030, 1, 5),
        ends_on=datetime.date(2030, 2, 1),
    )
    for approver in (first_approver, second_approver):
        grant = fund_services.grant_approve(grant=grant, acting_user=approver)
    assert grant.report_due_on == datetime.date(2030, 3, 3)

    plan(shanghai(2030, 2, 24, 8, 0))
    assert not Message.objects.filter(kind="grant_report_due").exists()
    plan(shanghai(2030, 2, 24, 9, 0))
    message = Message.objects.get(kind="grant_report_due")
    assert message.recipient == org_admin.user
    assert message.state == Message.State.SENT
    assert grant.number in mail.outbox[-1].subject
