"""Celery entry points of the outbox: they take ids and call services.

Nothing here is scheduled far ahead: the beat runs ``message_dispatch_due``
every few minutes and the database says what is due. Due messages go out in
batches (``message_send_batch``: one task and one mail connection per batch); a
message due at once after its transaction (``message_dispatch_soon``) goes alone.
"""

import logging
import time

from celery import current_app, shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

from . import services, services_delivery

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
    """Queue one send task for a claimed batch; False (and the rows given back) when the
    broker refuses."""
    if not claimed:
        return True
    message_ids = [message_id for message_id, _token in claimed]
    (claim_token,) = {token for _id, token in claimed}  # one claim, one token
    try:
        message_send_batch.apply_async(
            args=[message_ids, claim_token], retry=True, retry_policy=_PUBLISH_RETRY
        )
    except broker_errors() as exc:  # give the rows back for the next run
        logger.warning("outbox: batch of %s not queued (%s)", len(message_ids), type(exc).__name__)
        services.message_release_batch(message_ids=message_ids, claim_token=claim_token)
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
    """Claim due messages batch after batch and queue one send task per batch, until nothing
    is due, the tick's time budget is spent or the broker refuses; return how many were
    queued or handed back. A backlog drains in one tick, not one batch per tick."""
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
def message_send_batch(message_ids: list[int], claim_token: str) -> dict[str, int]:
    """Deliver a claimed batch over one mail connection; a failed message waits in the
    database for its retry (due again after the backoff), not in the broker."""
    return services_delivery.message_deliver_batch(message_ids=message_ids, claim_token=claim_token)


@shared_task(acks_late=True, ignore_result=True)
def message_sweep_stuck() -> int:
    """Return messages stuck in "sending" to "pending"."""
    return services.message_sweep_stuck()


@shared_task(acks_late=True, ignore_result=True)
def reminder_plan() -> dict:
    """Create the reminder rows that are due (the rules decide what and for whom)."""
    return services.reminder_plan()
