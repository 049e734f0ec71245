"""Fund people, and helpers that put money in the fund through the services (never around them)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from federation.models import STAFF_GROUP_NAME
from funds import services
from funds.models import Donor, Grant
from funds.roles import FUND_AUDITORS, FUND_MANAGERS
from tests.federation.factories import StaffFactory


def _join(user, name: str) -> None:
    user.groups.add(Group.objects.get_or_create(name=name)[0])


class FundManagerFactory(StaffFactory):
    """A fund manager: staff in 春芽基金管理员, the only state ``fund_role_grant`` allows
    (it refuses non-staff). ``federation_staff=True`` also puts them in 联合会工作人员."""

    @factory.post_generation
    def fund_role(obj, create, extracted, **kwargs):
        if create:
            _join(obj, FUND_MANAGERS)

    @factory.post_generation
    def federation_staff(obj, create, extracted, **kwargs):
        if create and extracted:
            _join(obj, STAFF_GROUP_NAME)


class FundAuditorFactory(StaffFactory):
    """A fund auditor: staff in 春芽基金审计员 (read-only fund pages)."""

    @factory.post_generation
    def fund_role(obj, create, extracted, **kwargs):
        if create:
            _join(obj, FUND_AUDITORS)


def past_day(days: int = 10) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def give(fund, user, amount="1000.00", *, donor=None, days_ago=10, **kwargs):
    """A money donation from an individual (a new donor unless one is given)."""
    if donor is None and "new_donor" not in kwargs:
        kwargs["new_donor"] = services.NewDonor(kind=Donor.Kind.INDIVIDUAL, name="王小明")
    return services.donation_record(
        fund=fund,
        donor=donor,
        amount=Decimal(amount),
        channel=kwargs.pop("channel", "bank_transfer"),
        received_on=kwargs.pop("received_on", past_day(days_ago)),
        acting_user=user,
        **kwargs,
    )


def grant_under_review(fund, org_admin, organisation, reviewer, amount="500.00", **kwargs):
    """An application by ``org_admin``, reviewed by ``reviewer`` for ``amount``."""
    today = timezone.localdate()
    grant = services.grant_apply(
        fund=fund,
        organisation=organisation,
        kind=kwargs.pop("kind", Grant.Kind.TALENT),
        purpose=kwargs.pop("purpose", Grant.Purpose.STAFF_DEVELOPMENT),
        title=kwargs.pop("title", "一线社工专业进修"),
        description="参加社会工作专业培训。",
        beneficiary_name=kwargs.pop("beneficiary_name", "张三明"),
        amount_requested=Decimal(amount),
        project_starts_on=kwargs.pop("starts_on", today),
        project_ends_on=kwargs.pop("ends_on", today + datetime.timedelta(days=90)),
        acting_user=org_admin,
    )
    return services.grant_review(
        grant=grant,
        amount_approved=Decimal(amount),
        report_due_on=grant.project_ends_on + datetime.timedelta(days=30),
        acting_user=reviewer,
    )
