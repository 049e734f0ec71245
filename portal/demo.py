"""Demo outbox rows: a reminder for the demo accounts about the next demo event.

Runs last in ``seed_demo``: it needs the demo users (federation) and events.
Only addresses under the reserved ``.example`` domain are ever written to (RFC
2606: they cannot belong to anybody), and only reminders due in the future, so
seeding never mails a real person. Dedupe keys make a second run a no-op.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.timezone import SHANGHAI, local_date
from events.models import Event
from federation.models import User
from notifications.services import message_enqueue

DEMO_EMAILS = ("staff@yilu.example", "org@yilu.example")


def _next_event() -> Event | None:
    return (
        Event.objects.published()
        .filter(starts_at__gt=timezone.now() + datetime.timedelta(days=2))
        .order_by("starts_at", "pk")
        .first()
    )


@transaction.atomic(durable=True)
def _seed_reminders(event: Event, users: list[User]) -> int:
    due_at = datetime.datetime.combine(
        local_date(event.starts_at) - datetime.timedelta(days=1),
        datetime.time(9, 0),
        tzinfo=SHANGHAI,
    )
    created = 0
    for user in users:
        message = message_enqueue(
            kind="event_starts",
            recipient=user,
            template="events/email/event_starts",
            context={
                "event_title": event.title,
                "starts_at": event.starts_at,
                "location": " ".join(p for p in (event.venue_name, event.address) if p),
                "url": "",
            },
            due_at=due_at,
            expires_at=event.starts_at,
            dedupe_key=f"demo:event_starts:event:{event.pk}:user:{user.pk}",
            optional=True,
        )
        created += message is not None
    return created


def seed(stdout) -> None:
    users = [
        user
        for user in User.objects.filter(email__in=DEMO_EMAILS, is_active=True).order_by("pk")
        if user.email.endswith(".example")
    ]
    event = _next_event()
    if not users or event is None:
        stdout.write("portal: no demo users or upcoming demo event; nothing queued")
        return
    created = _seed_reminders(event, users)
    stdout.write(f"portal: {created} demo reminder(s) queued for {event.title}")
