"""Registration closes: org admins of the alliance's organisations that have not registered."""

import datetime

from django.db.models import Q

from . import Reminder, day_start, local_date, local_due_at, moment_range
from .event_starts import event_context


def available() -> bool:
    try:
        from alliances.models import AllianceMembership  # noqa: F401
        from events.models import Event, Registration  # noqa: F401
    except ImportError:
        return False
    return True


def due_at_for(*, closes_at: datetime.datetime, rule) -> datetime.datetime:
    return local_due_at(
        local_date(closes_at), offset_days=rule.offset_days, time_of_day=rule.time_of_day
    )


def reminders(*, rule, since, until):
    from alliances.models import AllianceMembership
    from events.models import Event, Registration
    from federation.models import OrganisationMember

    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    start, end = day_start(first), day_start(last + datetime.timedelta(days=1))
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED, alliance__isnull=False)
        .filter(
            Q(registration_closes_at__gte=start, registration_closes_at__lt=end)
            | Q(registration_closes_at__isnull=True, starts_at__gte=start, starts_at__lt=end)
        )
        .order_by("pk")
    )
    for event in events:
        closes_at = event.registration_closes()
        registered = Registration.objects.live().filter(event=event).values("organisation_id")
        organisation_ids = (
            AllianceMembership.objects.active()
            .filter(alliance_id=event.alliance_id)
            .exclude(organisation_id__in=registered)
            .values("organisation_id")
        )
        admins = (
            OrganisationMember.objects.filter(
                organisation_id__in=organisation_ids,
                role=OrganisationMember.Role.ADMIN,
                user__is_active=True,
            )
            .select_related("user", "organisation")
            .order_by("pk")
        )
        context = {**event_context(event), "closes_at": closes_at}
        closes_on = local_date(closes_at)
        for admin in admins:
            occurrence = (
                f"registration_closes:event:{event.pk}:org:{admin.organisation_id}"
                f":user:{admin.user_id}:on:{closes_on:%Y%m%d}"
            )
            yield Reminder(
                kind="registration_closes",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=due_at_for(closes_at=closes_at, rule=rule),
                context={**context, "organisation_name": admin.organisation.name},
                recipient=admin.user,
                expires_at=closes_at,
                group=occurrence,
                since_at=event.created_at,
            )
