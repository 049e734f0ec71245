"""Batch delivery: a claimed batch of messages goes out over one mail connection.

Invariants owned here (with those of ``services``, whose claims this relies on):
- the batch only acts on rows that still hold its claim token: a stale, duplicated
  or redelivered batch task changes nothing it no longer owns, and sends nothing twice
  that it has recorded as sent;
- no transaction and no row lock is held during a network call;
- one mail connection per batch (a new one only after the server ended the session);
  one bad address, one failing template fails only its own message;
- every outcome is recorded in bulk: sent; skipped with its reason (inactive,
  unsubscribed, too late, no address: the same checks as a single send); a transient
  failure goes back to "pending", due after the backoff, its error kept (the waiting
  is in the database, not in the broker); "failed" once the attempts are used up;
- outcomes are written every ``NOTIFICATIONS_BATCH_RECORD_EVERY`` (50) messages or
  ``NOTIFICATIONS_BATCH_RECORD_SECONDS`` (0.2 s), whichever comes first, and whenever
  the batch ends or dies; the same transaction keeps the claim of the rest fresh for the
  sweeper. If the batch dies, its unsent rows stay "sending" and the sweeper returns
  them (or the redelivered task sends them). A worker killed outright (SIGKILL) can
  leave sent rows unrecorded: the duplicate window is the messages sent since the last
  record (at most 50, at most 0.2 s of sending), where a single send's is one message.
  Recording each message would cost a transaction per message, three times its
  rendering and sending on the bench machine;
- log lines carry message ids, counts and error class names only.
"""

import logging
import time
from contextlib import suppress
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from . import services
from .channels import CHANNELS
from .models import Message
from .rendering import message_render

logger = logging.getLogger("notifications")

OUTCOMES = ("sent", "skipped", "retried", "failed", "stale")


def _record_bounds() -> tuple[int, float]:
    """Outcomes are written after this many messages or this many seconds, whichever first."""
    every = services._setting("NOTIFICATIONS_BATCH_RECORD_EVERY", 50)
    seconds = services._setting("NOTIFICATIONS_BATCH_RECORD_SECONDS", 0.2)
    return max(1, every), seconds


@transaction.atomic(durable=True)
def _batch_start(
    message_ids: list[int], claim_token: str, now: datetime
) -> tuple[list[Message], int]:
    """Count an attempt on every row still held, skip those that must not go; return the rest
    and how many were skipped."""
    held = Message.objects.filter(
        pk__in=message_ids, state=Message.State.SENDING, claim_token=claim_token
    )
    if not held.update(attempts=F("attempts") + 1, claimed_at=now, updated_at=now):
        return [], 0
    messages = list(held.select_related("recipient").order_by("due_at", "pk"))
    reasons = services.skip_reasons(messages, now)
    for reason in set(reasons.values()):
        held.filter(pk__in=[pk for pk, why in reasons.items() if why == reason]).update(
            state=Message.State.SKIPPED, skip_reason=reason, claim_token=None, updated_at=now
        )
    return [message for message in messages if message.pk not in reasons], len(reasons)


class _Outcomes:
    """What a batch has done and not yet written down; ``write()`` writes it in one transaction."""

    def __init__(self, claim_token: str, counts: dict[str, int]):
        self.claim_token = claim_token
        self.counts = counts
        self.sent: list[int] = []
        self.retries: dict[int, tuple[str, datetime]] = {}
        self.failures: dict[int, str] = {}
        self.heartbeat_at = self.written_at = time.monotonic()

    def due(self, every: int, seconds: float) -> bool:
        waiting = len(self.sent) + len(self.retries) + len(self.failures)
        return waiting >= every or (waiting and time.monotonic() - self.written_at >= seconds)

    def failed(self, message: Message, exc: Exception, now: datetime) -> None:
        error = f"{type(exc).__name__}: {exc}"[:500]
        logger.warning(
            "outbox: message %s attempt %s failed (%s)",
            message.pk,
            message.attempts,
            type(exc).__name__,
        )
        if message.attempts >= services.max_attempts():
            self.failures[message.pk] = error
        else:
            delay = timedelta(seconds=services.retry_countdown(message.attempts))
            self.retries[message.pk] = (error, now + delay)

    def write(self, unsent: list[int]) -> set[int]:
        """Record the outcomes so far; return which of ``unsent`` this claim no longer holds."""
        now = timezone.now()
        lost: set[int] = set()
        with transaction.atomic(durable=True):
            held = Message.objects.filter(state=Message.State.SENDING, claim_token=self.claim_token)
            if self.sent:
                self.counts["sent"] += held.filter(pk__in=self.sent).update(
                    state=Message.State.SENT,
                    sent_at=now,
                    claim_token=None,
                    claimed_at=None,
                    updated_at=now,
                )
            if self.retries:
                self.counts["retried"] += held.filter(pk__in=self.retries).update(
                    state=Message.State.PENDING,
                    last_error=_by_pk({pk: e for pk, (e, _due) in self.retries.items()}),
                    due_at=_by_pk({pk: due for pk, (_e, due) in self.retries.items()}),
                    claim_token=None,
                    claimed_at=None,
                    updated_at=now,
                )
            if self.failures:
                self.counts["failed"] += held.filter(pk__in=self.failures).update(
                    state=Message.State.FAILED,
                    last_error=_by_pk(self.failures),
                    claim_token=None,
                    claimed_at=None,
                    updated_at=now,
                )
            # A long batch keeps its claim: the sweeper must not hand the rest to another.
            if unsent and time.monotonic() - self.heartbeat_at > _heartbeat_seconds():
                self.heartbeat_at = time.monotonic()
                mine = held.filter(pk__in=unsent)
                if mine.update(claimed_at=now, updated_at=now) < len(unsent):
                    lost = set(unsent) - set(mine.values_list("pk", flat=True))
        self.sent, self.retries, self.failures = [], {}, {}
        self.written_at = time.monotonic()
        return lost


def _by_pk(values: dict) -> Case:
    return Case(*(When(pk=pk, then=Value(value)) for pk, value in values.items()))


def _heartbeat_seconds() -> float:
    return services.sending_timeout().total_seconds() / 4


def message_deliver_batch(*, message_ids: list[int], claim_token: str) -> dict[str, int]:
    """Send a claimed batch over one mail connection; return how many were sent, skipped,
    retried, failed, or stale (no longer held by this claim: nothing done to them)."""
    counts = dict.fromkeys(OUTCOMES, 0)
    messages, counts["skipped"] = _batch_start(message_ids, claim_token, timezone.now())
    outcomes = _Outcomes(claim_token, counts)
    connections: dict[str, object] = {}
    every, seconds = _record_bounds()
    lost: set[int] = set()
    try:
        for position, message in enumerate(messages):
            if message.pk in lost:
                continue
            channel = CHANNELS[message.channel]
            if message.channel not in connections:
                connections[message.channel] = channel.connect()
            try:
                channel.send(message, message_render(message), connections[message.channel])
            except Exception as exc:  # noqa: BLE001 - any failure counts as an attempt
                outcomes.failed(message, exc, timezone.now())
            else:
                outcomes.sent.append(message.pk)
            if outcomes.due(every, seconds):
                lost |= outcomes.write([m.pk for m in messages[position + 1 :]])
    finally:
        for connection in connections.values():
            with suppress(Exception):
                connection.close()
        # Also when the batch dies: what went out is recorded, the rest stays claimed.
        outcomes.write([])
    counts["stale"] = len(message_ids) - counts["sent"] - counts["skipped"]
    counts["stale"] -= counts["retried"] + counts["failed"]
    logger.info("outbox: batch of %s done %s", len(message_ids), counts)
    return counts
