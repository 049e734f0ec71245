"""Reads for the outbox's back-office pages."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from .models import Message, ReminderRule


def reminder_rule_list_with_counts(*, since: datetime) -> QuerySet[ReminderRule]:
    """Every rule with its messages created since ``since``, counted by state (one query)."""
    recent = Q(messages__created_at__gte=since)

    def count(*states):
        return Count("messages", filter=recent & Q(messages__state__in=states))

    return ReminderRule.objects.annotate(
        sent_count=count(Message.State.SENT),
        skipped_count=count(Message.State.SKIPPED),
        failed_count=count(Message.State.FAILED),
        pending_count=count(Message.State.PENDING, Message.State.SENDING),
    ).order_by("subject", "-offset_days")
