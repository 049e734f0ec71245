"""Outbox figures for the staff dashboard: messages sent and failed per month (one query)."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from core.timezone import SHANGHAI

from .models import Message


def message_count_by_month(*, year: int) -> list[tuple[int, int, int]]:
    """(month, sent, failed) for the twelve months of ``year``, by when each was due."""
    rows = (
        Message.objects.filter(
            due_at__gte=datetime.datetime(year, 1, 1, tzinfo=SHANGHAI),
            due_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI),
            state__in=(Message.State.SENT, Message.State.FAILED),
        )
        .annotate(month=ExtractMonth("due_at", tzinfo=SHANGHAI))
        .values("month")
        .annotate(
            sent=Count("pk", filter=Q(state=Message.State.SENT)),
            failed=Count("pk", filter=Q(state=Message.State.FAILED)),
        )
        .order_by("month")
    )
    by_month = {row["month"]: (row["sent"], row["failed"]) for row in rows}
    return [(month, *by_month.get(month, (0, 0))) for month in range(1, 13)]
