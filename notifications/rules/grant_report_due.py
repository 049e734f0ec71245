"""Grant report due: the grantee organisation's admins, N days before the report date."""

import datetime

from . import Reminder, day_start, local_due_at, moment_range


def available() -> bool:
    try:
        from funds.models import Grant
    except ImportError:
        return False
    return hasattr(Grant, "report_due_on") and hasattr(Grant, "report_submitted_at")


def due_at_for(*, report_due_on: datetime.date, rule) -> datetime.datetime:
    return local_due_at(report_due_on, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def reminders(*, rule, since, until):
    from federation.models import OrganisationMember
    from funds.models import Grant

    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    grants = list(
        Grant.objects.filter(
            status__in=[Grant.Status.APPROVED, Grant.Status.PAID],
            report_submitted_at__isnull=True,
            report_due_on__gte=first,
            report_due_on__lte=last,
        )
        .select_related("organisation", "applied_by")
        .order_by("pk")
    )
    if not grants:
        return
    admins: dict[int, list] = {}
    for member in (
        OrganisationMember.objects.filter(
            organisation_id__in={grant.organisation_id for grant in grants},
            role=OrganisationMember.Role.ADMIN,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    ):
        admins.setdefault(member.organisation_id, []).append(member.user)
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
                due_at=due_at_for(report_due_on=grant.report_due_on, rule=rule),
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
