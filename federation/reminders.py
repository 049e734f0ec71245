"""The kernel's reminder rule, registered with the outbox in ``FederationConfig.ready()``.

``inspection_due``: the admins of every active member organisation whose annual
inspection report is not submitted, N days before 31 March / 31 May.
"""

import datetime

from django.utils import translation

from notifications.reminders import Reminder, day_start, local_due_at, moment_range

from .models import AnnualInspection, Organisation, OrganisationMember


def deadline_dates_between(first: datetime.date, last: datetime.date):
    """Every 31 March and 31 May in ``[first, last]``."""
    for year in range(first.year, last.year + 1):
        for month in (3, 5):
            day = datetime.date(year, month, 31)
            if first <= day <= last:
                yield day


def inspection_due_at(*, due_on: datetime.date, rule) -> datetime.datetime:
    return local_due_at(due_on, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def _msgid(label) -> str:
    # The untranslated text: the template translates it in the recipient's language.
    with translation.override(None):
        return str(label)


def _admins_by_organisation(organisations) -> dict[int, list]:
    admins: dict[int, list] = {}
    for member in (
        OrganisationMember.objects.filter(
            organisation__in=organisations,
            role=OrganisationMember.Role.ADMIN,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    ):
        admins.setdefault(member.organisation_id, []).append(member.user)
    return admins


def inspection_due(*, rule, since, until):
    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    for due_on in deadline_dates_between(first, last):
        year = due_on.year - 1  # the report in spring covers the previous year
        submitted = AnnualInspection.objects.filter(year=year).exclude(
            status=AnnualInspection.Status.NOT_SUBMITTED
        )
        organisations = (
            Organisation.objects.active()
            .exclude(pk__in=submitted.values("organisation_id"))
            .order_by("pk")
        )
        admins_by_organisation = _admins_by_organisation(organisations)
        for organisation in organisations:
            admins = admins_by_organisation.get(organisation.pk)
            if not admins:
                continue
            labels = [
                _msgid(deadline.label)
                for deadline in AnnualInspection.deadlines(organisation=organisation, year=year)
                if deadline.due_on == due_on
            ]
            if not labels:
                continue
            for user in admins:
                occurrence = (
                    f"inspection_due:org:{organisation.pk}:year:{year}:due:{due_on:%Y%m%d}"
                    f":user:{user.pk}"
                )
                yield Reminder(
                    kind="inspection_due",
                    dedupe_key=f"{occurrence}:d{rule.offset_days}",
                    due_at=inspection_due_at(due_on=due_on, rule=rule),
                    context={
                        "organisation_name": organisation.name,
                        "year": year,
                        "due_on": due_on,
                        "labels": labels,
                    },
                    recipient=user,
                    expires_at=day_start(due_on + datetime.timedelta(days=1)),
                    group=occurrence,
                )
