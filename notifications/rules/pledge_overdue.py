"""Pledge instalment overdue: the fund managers, N days after an unpaid due date."""

import datetime

from django.urls import NoReverseMatch, reverse

from . import Reminder, absolute_url, local_due_at, moment_range


def available() -> bool:
    try:
        from funds.models import Pledge, PledgeInstalment  # noqa: F401
        from funds.roles import FUND_MANAGERS  # noqa: F401
    except ImportError:
        return False
    return True


def due_at_for(*, due_on: datetime.date, rule) -> datetime.datetime:
    """``offset_days`` is negative here: -1 is the day after the instalment was due."""
    return local_due_at(due_on, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def _admin_url(pledge) -> str:
    try:
        return absolute_url(reverse("admin:funds_pledge_change", args=[pledge.pk]))
    except NoReverseMatch:
        return ""


def fund_managers():
    from federation.models import User
    from funds.roles import FUND_MANAGERS

    return list(
        User.objects.filter(groups__name=FUND_MANAGERS, is_active=True, is_staff=True)
        .distinct()
        .order_by("pk")
    )


def reminders(*, rule, since, until):
    from funds.models import Pledge, PledgeInstalment

    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    instalments = list(
        PledgeInstalment.objects.filter(
            status=PledgeInstalment.Status.DUE,
            pledge__status=Pledge.Status.ACTIVE,
            due_on__gte=first,
            due_on__lte=last,
        )
        .select_related("pledge")
        .order_by("pk")
    )
    if not instalments:
        return
    managers = fund_managers()
    for instalment in instalments:
        pledge = instalment.pledge
        context = {
            "pledge_code": pledge.code,
            "pledge_description": pledge.description,
            "sequence": instalment.sequence,
            "due_on": instalment.due_on,
            "expected_amount": pledge.expected_amount,
            "url": _admin_url(pledge),
        }
        for manager in managers:
            occurrence = f"pledge_overdue:instalment:{instalment.pk}:user:{manager.pk}"
            yield Reminder(
                kind="pledge_overdue",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=due_at_for(due_on=instalment.due_on, rule=rule),
                context=context,
                recipient=manager,
                group=occurrence,
            )
