"""Celery entry points of the outbox: they take ids and call services.

Nothing here is scheduled far ahead: the beat runs ``message_dispatch_due``
every few minutes and the database says what is due.
"""

import logging
import time

from celery import current_app, shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

from . import services

logger = logging.getLogger("notifications")

_PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def broker_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the broker cannot be reached now"."""
    connection = current_app.connection_for_write()
    return (
        OperationalError,
        OSError,
        *connection.connection_errors,
        *connection.channel_errors,
    )


def _publish_send(message_id: int, claim_token: str) -> bool:
    """Queue the send task; False (and the row given back) when the broker refuses."""
    try:
        message_send.apply_async(
            args=[message_id, claim_token], retry=True, retry_policy=_PUBLISH_RETRY
        )
    except broker_errors() as exc:  # give the row back for the next run
        logger.warning("outbox: message %s not queued (%s)", message_id, type(exc).__name__)
        services.message_release(message_id=message_id, claim_token=claim_token)
        return False
    return True


def _publish_batch(claimed: list[tuple[int, str]]) -> bool:
    """Queue a claimed batch; after one refusal give the rest back untried (broker down)."""
    for position, (message_id, claim_token) in enumerate(claimed):
        if not _publish_send(message_id, claim_token):
            for later_id, later_token in claimed[position + 1 :]:
                services.message_release(message_id=later_id, claim_token=later_token)
            return False
    return True


def message_dispatch_soon(message_id: int) -> None:
    """Queue an immediate message; if the broker is down the beat dispatcher sends it later.

    Installed as ``services.immediate_dispatch_install`` by ``NotificationsConfig.ready()``.
    """
    try:
        message_dispatch.apply_async(args=[message_id], retry=True, retry_policy=_PUBLISH_RETRY)
    except broker_errors() as exc:  # the row is safe; only the shortcut failed
        logger.warning(
            "outbox: message %s not queued now (%s); the dispatcher will send it",
            message_id,
            type(exc).__name__,
        )


@shared_task(acks_late=True, ignore_result=True)
def message_dispatch_due() -> int:
    """Claim due messages batch after batch and queue one send task each, until nothing is
    due, the tick's time budget is spent or the broker refuses; return how many were queued
    or handed back. A backlog drains in one tick, not one batch per tick."""
    batch = settings.NOTIFICATIONS_DISPATCH_BATCH
    deadline = time.monotonic() + settings.NOTIFICATIONS_DISPATCH_BUDGET_SECONDS
    total = 0
    while True:
        claimed = services.message_claim_due(limit=batch)
        total += len(claimed)
        if not _publish_batch(claimed) or len(claimed) < batch:
            return total
        if time.monotonic() >= deadline:
            logger.info("outbox: dispatch budget spent after %s messages", total)
            return total


@shared_task(acks_late=True, ignore_result=True)
def message_dispatch(message_id: int) -> None:
    """Claim one immediate message (queued right after its transaction commits) and send it."""
    claim_token = services.message_claim(message_id=message_id)
    if claim_token:
        _publish_send(message_id, claim_token)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def message_send(self, message_id: int, claim_token: str) -> str:
    """Deliver one claimed message; retry with backoff and jitter until the attempt cap."""
    try:
        return services.message_deliver(message_id=message_id, claim_token=claim_token)
    except services.DeliveryDeferred as deferred:
        if self.request.is_eager:
            # Eager (unit tests): apply() runs a returned Retry at once; a raised
            # one would escape under task_eager_propagates.
            return self.retry(countdown=deferred.countdown, throw=False)
        raise self.retry(countdown=deferred.countdown) from None


@shared_task(acks_late=True, ignore_result=True)
def message_sweep_stuck() -> int:
    """Return messages stuck in "sending" to "pending"."""
    return services.message_sweep_stuck()


@shared_task(acks_late=True, ignore_result=True)
def reminder_plan() -> dict:
    """Create the reminder rows that are due (the rules decide what and for whom)."""
    return services.reminder_plan()
