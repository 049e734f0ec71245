"""Event starts: confirmed participants, N days before the start at a local time."""

import datetime

from django.urls import NoReverseMatch

from . import Reminder, absolute_url, day_start, local_date, local_due_at, moment_range


def available() -> bool:
    from django.apps import apps

    return apps.is_installed("events") and _models() is not None


def _models():
    try:
        from events.models import Event, Registration
    except ImportError:
        return None
    return Event, Registration


def due_at_for(*, starts_at: datetime.datetime, rule) -> datetime.datetime:
    """The reminder moment: ``offset_days`` local days before the local start date."""
    return local_due_at(
        local_date(starts_at), offset_days=rule.offset_days, time_of_day=rule.time_of_day
    )


def _event_url(event) -> str:
    try:
        return absolute_url(event.get_absolute_url())
    except NoReverseMatch:
        return ""


def event_context(event) -> dict:
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
    from federation.models import User

    emails = {email.lower() for email in emails if email}
    if not emails:
        return {}
    return {user.email: user for user in User.objects.filter(email__in=emails, is_active=True)}


def reminders(*, rule, since, until):
    Event, Registration = _models()
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
            due_at=due_at_for(starts_at=event.starts_at, rule=rule),
            context={**contexts[event.pk], "participant_name": registration.name},
            recipient=recipient,
            email=email,
            expires_at=event.starts_at,
            group=f"event_starts:reg:{registration.pk}:on:{starts_on:%Y%m%d}",
            since_at=max(registration.created_at, event.created_at),
        )
