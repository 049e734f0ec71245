"""The events app's reminder rules, registered with the outbox in ``EventsConfig.ready()``.

- ``event_starts``: confirmed participants, N days before the start at a local time;
- ``registration_closes``: admins of an alliance's organisations that have not
  registered, before registration closes;
- ``alliance_quarter_missing``: the secretary of an alliance whose quarter lacks
  a team building or a training (the quarterly plan's definition), before quarter end.

Each rule is ``(*, rule, since, until) -> Iterable[Reminder]``; the planner in
``notifications.services`` keeps the reminders due in the window.
"""

import datetime

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from alliances.models import Alliance, AllianceMembership
from core.links import absolute_url
from core.timezone import quarter_ends_between
from federation.models import OrganisationMember, User
from notifications.reminders import Reminder, day_start, local_date, local_due_at, moment_range

from . import selectors
from .models import Event, Registration

# --- event starts ---------------------------------------------------------------------


def event_starts_due_at(*, starts_at: datetime.datetime, rule) -> datetime.datetime:
    """The reminder moment: ``offset_days`` local days before the local start date."""
    return local_due_at(
        local_date(starts_at), offset_days=rule.offset_days, time_of_day=rule.time_of_day
    )


def _event_url(event: Event) -> str:
    try:
        return absolute_url(event.get_absolute_url())
    except NoReverseMatch:
        return ""


def event_context(event: Event) -> dict:
    place = " ".join(part for part in (event.venue_name, event.address) if part)
    return {
        "event_title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location": place,
        "url": _event_url(event),
    }


def recipients_by_email(emails) -> dict:
    """Accounts for bare addresses, so a participant with an account gets their language."""
    emails = {email.lower() for email in emails if email}
    if not emails:
        return {}
    return {user.email: user for user in User.objects.filter(email__in=emails, is_active=True)}


def event_starts(*, rule, since, until):
    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    registrations = list(
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gte=day_start(first),
            event__starts_at__lt=day_start(last + datetime.timedelta(days=1)),
        )
        .select_related("event", "registered_by")
        .order_by("pk")
    )
    accounts = recipients_by_email(registration.email for registration in registrations)
    contexts = {}
    for registration in registrations:
        event = registration.event
        if event.pk not in contexts:
            contexts[event.pk] = event_context(event)
        recipient = accounts.get(registration.email.lower()) if registration.email else None
        email = registration.email if recipient is None else ""
        if not registration.email:
            # An organisation's participant without an address: whoever registered them.
            recipient = registration.registered_by
        if recipient is None and not email:
            continue
        starts_on = local_date(event.starts_at)
        yield Reminder(
            kind="event_starts",
            dedupe_key=(
                f"event_starts:reg:{registration.pk}:on:{starts_on:%Y%m%d}:d{rule.offset_days}"
            ),
            due_at=event_starts_due_at(starts_at=event.starts_at, rule=rule),
            context={**contexts[event.pk], "participant_name": registration.name},
            recipient=recipient,
            email=email,
            expires_at=event.starts_at,
            group=f"event_starts:reg:{registration.pk}:on:{starts_on:%Y%m%d}",
            since_at=max(registration.created_at, event.created_at),
        )


# --- registration closes ----------------------------------------------------------------


def registration_closes_due_at(*, closes_at: datetime.datetime, rule) -> datetime.datetime:
    return local_due_at(
        local_date(closes_at), offset_days=rule.offset_days, time_of_day=rule.time_of_day
    )


def registration_closes(*, rule, since, until):
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
                due_at=registration_closes_due_at(closes_at=closes_at, rule=rule),
                context={**context, "organisation_name": admin.organisation.name},
                recipient=admin.user,
                expires_at=closes_at,
                group=occurrence,
                since_at=event.created_at,
            )


# --- alliance quarter missing an activity ---------------------------------------------


def quarter_missing_due_at(*, quarter_end: datetime.date, rule) -> datetime.datetime:
    return local_due_at(quarter_end, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def missing_kinds(*, alliance_id: int, year: int, quarter: int) -> list[str]:
    """The kinds (team building, training) neither held nor scheduled in the quarter.

    The quarterly plan owns the definition, so the staff matrix and the
    reminder never disagree.
    """
    return selectors.alliance_quarter_missing_kinds(
        alliance_id=alliance_id, year=year, quarter=quarter
    )


def alliance_quarter_missing(*, rule, since, until):
    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    quarters = list(quarter_ends_between(first, last))
    if not quarters:
        return
    alliances = list(
        Alliance.objects.filter(secretary__isnull=False, secretary__is_active=True)
        .select_related("secretary")
        .order_by("pk")
    )
    for year, quarter, quarter_end in quarters:
        for alliance in alliances:
            missing = missing_kinds(alliance_id=alliance.pk, year=year, quarter=quarter)
            if not missing:
                continue
            occurrence = (
                f"alliance_quarter_missing:alliance:{alliance.pk}:{year}Q{quarter}"
                f":user:{alliance.secretary_id}"
            )
            yield Reminder(
                kind="alliance_quarter_missing",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=quarter_missing_due_at(quarter_end=quarter_end, rule=rule),
                context={
                    "alliance_name": alliance.name_zh,
                    "alliance_name_en": alliance.name_en,
                    "year": year,
                    "quarter": quarter,
                    "quarter_end": quarter_end,
                    "missing_codes": [str(kind) for kind in missing],
                    # Straight to the secretary's page of this alliance.
                    "url": absolute_url(
                        reverse("alliances:manage", kwargs={"code": alliance.code})
                    ),
                },
                recipient=alliance.secretary,
                expires_at=day_start(quarter_end + datetime.timedelta(days=1)),
                group=occurrence,
            )
