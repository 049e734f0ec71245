"""The kernel's reminder rule, registered with the outbox in ``FederationConfig.ready()``.

``inspection_due``: the admins of every active member organisation whose annual
inspection report is not submitted, N days before 31 March / 31 May.
"""

import datetime

from django.utils import translation

from notifications.reminders import Reminder, day_start, local_due_at, moment_range

from .models import AnnualInspection, HubStaff, Organisation, OrganisationMember


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


def hub_inspection_late(*, rule, since, until):
    """``hub_inspection_late``: each hub's staff, N days after 31 March / 31 May, get the
    list of their street's active members whose report due that day is still missing."""
    from .selectors import organisation_list_inspection_outstanding

    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    for due_on in deadline_dates_between(first, last):
        year = due_on.year - 1
        late_by_street: dict[int, list[str]] = {}
        for organisation in organisation_list_inspection_outstanding(year=year).order_by(
            "name_pinyin", "name"
        ):
            if any(
                deadline.due_on == due_on
                for deadline in AnnualInspection.deadlines(organisation=organisation, year=year)
            ):
                late_by_street.setdefault(organisation.street_id, []).append(organisation.name)
        if not late_by_street:
            continue
        staff = (
            HubStaff.objects.filter(hub__street_id__in=late_by_street, user__is_active=True)
            .select_related("user", "hub")
            .order_by("pk")
        )
        for member in staff:
            names = late_by_street[member.hub.street_id]
            occurrence = (
                f"hub_inspection_late:hub:{member.hub_id}:year:{year}:due:{due_on:%Y%m%d}"
                f":user:{member.user_id}"
            )
            yield Reminder(
                kind="hub_inspection_late",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=inspection_due_at(due_on=due_on, rule=rule),
                context={
                    "hub_name": member.hub.name,
                    "year": year,
                    "due_on": due_on,
                    "organisation_names": names,
                    "late_count": len(names),
                },
                recipient=member.user,
                # Still worth sending until the registration authority's season is over.
                expires_at=day_start(due_on + datetime.timedelta(days=60)),
                group=occurrence,
            )
