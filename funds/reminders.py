"""The fund's reminder rules, registered with the outbox in ``FundsConfig.ready()``.

- ``pledge_overdue``: the fund managers, N days after a pledge instalment was
  due and not received (``offset_days`` is negative: -1 is the day after);
- ``grant_report_due``: the grantee organisation's admins (or the applicant),
  N days before the final report is due.

Both ask the fund's own selectors what is overdue or due, so the staff pages
and the reminders never disagree.
"""

import datetime

from django.urls import NoReverseMatch, reverse

from core.links import absolute_url
from federation.models import OrganisationMember, User
from notifications.reminders import Reminder, day_start, local_date, local_due_at, moment_range

from . import selectors

# --- pledge instalment overdue -----------------------------------------------------------


def pledge_overdue_due_at(*, due_on: datetime.date, rule) -> datetime.datetime:
    """``offset_days`` is negative here: -1 is the day after the instalment was due."""
    return local_due_at(due_on, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def _admin_url(pledge) -> str:
    try:
        return absolute_url(reverse("admin:funds_pledge_change", args=[pledge.pk]))
    except NoReverseMatch:
        return ""


def fund_managers() -> list[User]:
    """The pledge reminders' recipients: the holders of ``funds.manage_fund``."""
    return selectors.fund_manager_list()


def pledge_overdue(*, rule, since, until):
    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    instalments = list(
        selectors.pledge_instalment_list_overdue(today=local_date(until)).filter(
            due_on__gte=first, due_on__lte=last
        )
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
                due_at=pledge_overdue_due_at(due_on=instalment.due_on, rule=rule),
                context=context,
                recipient=manager,
                group=occurrence,
            )


# --- grant final report due --------------------------------------------------------------


def grant_report_due_at(*, report_due_on: datetime.date, rule) -> datetime.datetime:
    return local_due_at(report_due_on, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def _admins_by_organisation(organisation_ids) -> dict[int, list]:
    admins: dict[int, list] = {}
    for member in (
        OrganisationMember.objects.filter(
            organisation_id__in=organisation_ids,
            role=OrganisationMember.Role.ADMIN,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    ):
        admins.setdefault(member.organisation_id, []).append(member.user)
    return admins


def grant_report_due(*, rule, since, until):
    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    grants = list(selectors.grant_list_report_due(first=first, last=last))
    if not grants:
        return
    admins = _admins_by_organisation({grant.organisation_id for grant in grants})
    for grant in grants:
        recipients = admins.get(grant.organisation_id) or (
            [grant.applied_by] if grant.applied_by and grant.applied_by.is_active else []
        )
        for user in recipients:
            occurrence = (
                f"grant_report_due:grant:{grant.pk}:on:{grant.report_due_on:%Y%m%d}:user:{user.pk}"
            )
            yield Reminder(
                kind="grant_report_due",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=grant_report_due_at(report_due_on=grant.report_due_on, rule=rule),
                context={
                    "grant_number": grant.number,
                    "grant_title": grant.title,
                    "organisation_name": grant.organisation.name,
                    "report_due_on": grant.report_due_on,
                    "url": "",
                },
                recipient=user,
                expires_at=day_start(grant.report_due_on + datetime.timedelta(days=1)),
                group=occurrence,
            )
