"""Bench outbox: ~100k messages, nearly all sent in the past, a few still due."""

import datetime

from notifications.models import Message

from .common import Plan, bulk, local_moment

TEMPLATE = "events/email/event_starts"


def seed_outbox(plan: Plan) -> int:
    """Sent reminders spread over the years (to reserved ``.example`` addresses)."""
    first = datetime.date(plan.first_year, 1, 1)
    span = (plan.today - first).days or 1
    rows = []
    for number in range(plan.outbox):
        day = first + datetime.timedelta(days=number * span // plan.outbox)
        due = local_moment(day, 9)
        rows.append(
            Message(
                kind="event_starts",
                email=f"visitor{number}@bench.example",
                template=TEMPLATE,
                context={"event_title": f"基准活动{number}", "location": "", "url": ""},
                language="zh-hans",
                optional=True,
                dedupe_key=f"bench:outbox:{number}",
                due_at=due,
                state=Message.State.SENT,
                attempts=1,
                sent_at=due,
            )
        )
    return len(bulk(Message, rows, batch_size=2000))
