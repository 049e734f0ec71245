"""Writes for the outbox.

Invariants owned here:
- every message is a row written in the transaction that caused it
  (``message_enqueue`` refuses to run outside one);
- a dedupe key exists once: a second enqueue with the same key is a no-op;
- a row moves pending → sending only through a conditional UPDATE that sets a
  fresh claim token, so two dispatchers (or a duplicated beat) claim it once;
- a send task (one message, or a batch: ``services_delivery``) only acts on a row
  while it still holds that token: a stale or duplicated task changes nothing;
- a row stuck in "sending" past the timeout goes back to "pending" (or to
  "failed" once its attempts are used up); nothing is scheduled with a far ETA;
- optional kinds honour unsubscriptions; confirmations and decisions never do
  (``skip_reasons``: the same checks for one message and for a batch);
- a reminder past its moment is "skipped (too late)", never sent.

Delivery is not one transaction: the network call happens between short
transactions, and the only duplicate window left is between the mail server
accepting a message and the row being marked sent (for a batch, marked in bulk:
see ``services_delivery``).
"""

import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import context_encode
from .models import Message, ReminderRule, Unsubscription
from .registry import kind_is_mandatory
from .reminders import subject_reminders
from .rendering import message_render

logger = logging.getLogger("notifications")

_DEFAULT_LANGUAGE = "zh-hans"


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("NOTIFICATIONS_MAX_ATTEMPTS", 5)


def sending_timeout() -> timedelta:
    return timedelta(seconds=_setting("NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", 1800))


def retry_countdown(attempt: int) -> float:
    """Exponential backoff with jitter: base·2^(attempt−1), capped, times 0.5–1.0."""
    base = _setting("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
    cap = _setting("NOTIFICATIONS_RETRY_MAX_SECONDS", 900)
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security


class DeliveryDeferred(Exception):
    """A transient failure: the send task retries after ``countdown`` seconds."""

    def __init__(self, countdown: float):
        super().__init__(countdown)
        self.countdown = countdown


def _language_for(recipient, language: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(recipient, "language", None)):
        if candidate and candidate in known:
            return candidate
    return _DEFAULT_LANGUAGE


# The immediate-dispatch shortcut. tasks.py installs the real one from
# NotificationsConfig.ready(): the services never import the tasks (no cycle).
_immediate_dispatch: Callable[[int], None] = lambda message_id: None  # noqa: E731


def immediate_dispatch_install(dispatch: Callable[[int], None]) -> None:
    """Set how a message due now is queued at once after its transaction commits."""
    global _immediate_dispatch
    _immediate_dispatch = dispatch


def _dispatch_after_commit(message_id: int) -> None:
    """Queue an immediate message; if that fails the beat dispatcher sends it later."""
    _immediate_dispatch(message_id)


def message_enqueue(
    *,
    kind: str,
    recipient=None,
    email: str = "",
    template: str,
    context: dict | None = None,
    language: str | None = None,
    due_at: datetime | None = None,
    dedupe_key: str,
    optional: bool = False,
    expires_at: datetime | None = None,
    rule: ReminderRule | None = None,
) -> Message | None:
    """Put a message in the outbox, in the caller's transaction.

    Returns the new Message, or None when ``dedupe_key`` already exists.
    Refuses (AssertionError) outside a transaction, (ValueError) without an
    address, key or template, or with a naive datetime.
    """
    return _message_add(
        kind=kind,
        recipient=recipient,
        email=email,
        template=template,
        context=context,
        language=language,
        due_at=due_at,
        dedupe_key=dedupe_key,
        optional=optional,
        expires_at=expires_at,
        rule=rule,
    )


def _message_add(
    *,
    kind: str,
    recipient,
    email: str,
    template: str,
    context: dict | None,
    language: str | None,
    due_at: datetime | None,
    dedupe_key: str,
    optional: bool,
    expires_at: datetime | None,
    rule: ReminderRule | None,
    skip_reason: str = "",
) -> Message | None:
    assert transaction.get_connection().in_atomic_block, (
        "message_enqueue must run inside the transaction that causes the message"
    )
    if recipient is None and not email:
        raise ValueError("A message needs a recipient or an e-mail address.")
    if not dedupe_key or not template:
        raise ValueError("A message needs a dedupe key and a template.")
    now = timezone.now()
    due_at = due_at or now
    if timezone.is_naive(due_at) or (expires_at is not None and timezone.is_naive(expires_at)):
        raise ValueError("Message times must be aware datetimes.")
    if Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    fields = {
        "kind": kind,
        "recipient": recipient,
        "email": "" if recipient is not None else email.strip().lower(),
        "template": template,
        "context": context_encode(context or {}),
        "language": _language_for(recipient, language),
        "due_at": due_at,
        "expires_at": expires_at,
        "dedupe_key": dedupe_key,
        "optional": bool(optional) and not kind_is_mandatory(kind),
        "rule": rule,
    }
    if skip_reason:
        fields.update(state=Message.State.SKIPPED, skip_reason=skip_reason)
    try:
        with transaction.atomic():  # a savepoint: a lost race must not spoil the caller
            message = Message.objects.create(**fields)
    except IntegrityError:
        if Message.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if not skip_reason and due_at <= now:
        transaction.on_commit(lambda: _dispatch_after_commit(message.pk))
    return message


@transaction.atomic(durable=True)
def message_claim_due(*, now: datetime | None = None, limit: int = 200) -> list[tuple[int, str]]:
    """Claim due pending rows (pending → sending, fresh token); return ``(id, token)`` pairs.

    Rows past their ``expires_at`` become "skipped (too late)" instead.
    """
    now = now or timezone.now()
    Message.objects.filter(
        state=Message.State.PENDING, due_at__lte=now, expires_at__lte=now
    ).update(state=Message.State.SKIPPED, skip_reason=Message.SkipReason.TOO_LATE, updated_at=now)
    ids = list(
        Message.objects.due(now)
        .order_by("due_at", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return []
    token = uuid.uuid4()
    # Conditional: a row another dispatcher claimed meanwhile is no longer pending.
    Message.objects.filter(pk__in=ids, state=Message.State.PENDING).update(
        state=Message.State.SENDING, claim_token=token, claimed_at=now, updated_at=now
    )
    claimed = Message.objects.filter(claim_token=token).order_by("due_at", "pk")
    return [(pk, str(token)) for pk in claimed.values_list("pk", flat=True)]


@transaction.atomic(durable=True)
def message_claim(*, message_id: int, now: datetime | None = None) -> str | None:
    """Claim one due pending row; return its token, or None when it is not claimable."""
    now = now or timezone.now()
    token = uuid.uuid4()
    updated = (
        Message.objects.due(now)
        .filter(pk=message_id)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .update(state=Message.State.SENDING, claim_token=token, claimed_at=now, updated_at=now)
    )
    return str(token) if updated else None


@transaction.atomic(durable=True)
def message_release(*, message_id: int, claim_token: str) -> bool:
    """Give a claimed row back (sending → pending), e.g. when its task could not be queued."""
    return bool(
        Message.objects.filter(
            pk=message_id, state=Message.State.SENDING, claim_token=claim_token
        ).update(state=Message.State.PENDING, claim_token=None, claimed_at=None)
    )


@transaction.atomic(durable=True)
def message_release_batch(*, message_ids: list[int], claim_token: str) -> int:
    """Give a claimed batch back (sending → pending), e.g. when its task could not be queued."""
    return Message.objects.filter(
        pk__in=message_ids, state=Message.State.SENDING, claim_token=claim_token
    ).update(state=Message.State.PENDING, claim_token=None, claimed_at=None)


@transaction.atomic(durable=True)
def message_sweep_stuck(*, now: datetime | None = None) -> int:
    """Return rows stuck in "sending" past the timeout to "pending" ("failed" when out of attempts)."""
    now = now or timezone.now()
    stuck = Message.objects.filter(
        state=Message.State.SENDING, claimed_at__lt=now - sending_timeout()
    )
    failed = stuck.filter(attempts__gte=max_attempts()).update(
        state=Message.State.FAILED,
        claim_token=None,
        claimed_at=None,
        last_error="stuck in sending after the last attempt",
        updated_at=now,
    )
    returned = stuck.update(
        state=Message.State.PENDING, claim_token=None, claimed_at=None, updated_at=now
    )
    if failed or returned:
        logger.warning("outbox: sweeper returned %s and failed %s stuck messages", returned, failed)
    return returned + failed


def unsubscribed_among(messages: list[Message]) -> set[int]:
    """The ids of the optional ``messages`` whose recipient unsubscribed from the kind (≤ 2 queries)."""
    optional = [message for message in messages if message.optional]
    members = [message for message in optional if message.recipient_id is not None]
    visitors = [message for message in optional if message.recipient_id is None]
    stopped: set[tuple] = set()
    if members:
        stopped.update(
            Unsubscription.objects.filter(
                recipient_id__in={message.recipient_id for message in members},
                kind__in={message.kind for message in members},
            ).values_list("recipient_id", "kind")
        )
    if visitors:
        stopped.update(
            Unsubscription.objects.filter(
                recipient__isnull=True,
                email__in={message.email for message in visitors},
                kind__in={message.kind for message in visitors},
            ).values_list("email", "kind")
        )
    return {
        message.pk
        for message in optional
        if (message.recipient_id or message.email, message.kind) in stopped
    }


def skip_reasons(messages: list[Message], now: datetime) -> dict[int, str]:
    """Why each of ``messages`` must not be sent now, by id (the sendable ones are absent)."""
    from .channels import CHANNELS

    unsubscribed = unsubscribed_among(messages)
    reasons = {}
    for message in messages:
        if message.expires_at is not None and message.expires_at <= now:
            reasons[message.pk] = Message.SkipReason.TOO_LATE
        elif message.recipient_id is not None and not message.recipient.is_active:
            reasons[message.pk] = Message.SkipReason.INACTIVE
        elif not CHANNELS[message.channel].address(message):
            reasons[message.pk] = Message.SkipReason.NO_ADDRESS
        elif message.pk in unsubscribed:
            reasons[message.pk] = Message.SkipReason.UNSUBSCRIBED
    return reasons


def _finish(message_id: int, held_token: str, /, **fields) -> bool:
    # Only while we still hold the claim: a swept and re-claimed row is not ours.
    return bool(
        Message.objects.filter(
            pk=message_id, state=Message.State.SENDING, claim_token=held_token
        ).update(updated_at=timezone.now(), **fields)
    )


def message_deliver(*, message_id: int, claim_token: str) -> str:
    """Send a claimed message once; return "sent", "skipped", "failed" or "stale".

    Raises DeliveryDeferred on a transient failure while attempts remain.
    Not one transaction on purpose: no row lock is held during the network call.
    """
    now = timezone.now()
    with transaction.atomic(durable=True):
        started = Message.objects.filter(
            pk=message_id, state=Message.State.SENDING, claim_token=claim_token
        ).update(attempts=F("attempts") + 1, claimed_at=now, updated_at=now)
        if not started:
            return "stale"  # swept and re-claimed, already sent, or a duplicated task
        message = Message.objects.select_related("recipient").get(pk=message_id)
        reason = skip_reasons([message], now).get(message.pk)
        if reason:
            _finish(
                message_id,
                claim_token,
                state=Message.State.SKIPPED,
                skip_reason=reason,
                claim_token=None,
            )
            return "skipped"
    from .channels import CHANNELS

    try:
        CHANNELS[message.channel].send(message, message_render(message))
    except Exception as exc:  # noqa: BLE001 - any failure counts as an attempt
        error = f"{type(exc).__name__}: {exc}"[:500]
        logger.warning(
            "outbox: message %s attempt %s failed (%s)",
            message_id,
            message.attempts,
            type(exc).__name__,
        )
        if message.attempts >= max_attempts():
            _finish(
                message_id,
                claim_token,
                state=Message.State.FAILED,
                last_error=error,
                claim_token=None,
                claimed_at=None,
            )
            return "failed"
        _finish(message_id, claim_token, last_error=error)
        raise DeliveryDeferred(retry_countdown(message.attempts)) from exc
    # The duplicate window: killed here, the row is swept and sent once more.
    _finish(
        message_id,
        claim_token,
        state=Message.State.SENT,
        sent_at=timezone.now(),
        claim_token=None,
        claimed_at=None,
    )
    return "sent"


@transaction.atomic(durable=True)
def message_resend(*, message: Message, acting_user) -> Message:
    """Send a failed message again with fresh attempts.

    Refuses any other state ("not_failed") and a reminder past its moment ("too_late").
    """
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.state != Message.State.FAILED:
        raise ValidationError(_("Only failed messages can be sent again."), code="not_failed")
    now = timezone.now()
    if message.expires_at is not None and message.expires_at <= now:
        raise ValidationError(_("This reminder is too late to send."), code="too_late")
    message.state = Message.State.PENDING
    message.attempts = 0
    message.last_error = ""
    message.due_at = now
    message.save(update_fields=["state", "attempts", "last_error", "due_at", "updated_at"])
    logger.info("outbox: message %s resent by user %s", message.pk, acting_user.pk)
    transaction.on_commit(lambda: _dispatch_after_commit(message.pk))
    return message


@transaction.atomic(durable=True)
def unsubscription_create(*, token: str) -> Unsubscription:
    """Stop an optional kind for the person named in a signed token.

    Refuses a forged or damaged token ("bad_token"), a kind that is always sent
    ("mandatory_kind") and a token of an account that no longer exists ("bad_token").
    """
    from django.core import signing

    from .tokens import unsubscribe_token_read

    try:
        data = unsubscribe_token_read(token)
    except signing.BadSignature:
        raise ValidationError(_("This unsubscribe link is not valid."), code="bad_token") from None
    if kind_is_mandatory(data["kind"]):
        raise ValidationError(
            _("Confirmations and decisions are always sent."), code="mandatory_kind"
        )
    if data["recipient_id"]:
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(pk=data["recipient_id"]).exists():
            raise ValidationError(_("This unsubscribe link is no longer valid."), code="bad_token")
        unsubscription, _created = Unsubscription.objects.get_or_create(
            recipient_id=data["recipient_id"], kind=data["kind"]
        )
    else:
        unsubscription, _created = Unsubscription.objects.get_or_create(
            recipient=None, email=data["email"], kind=data["kind"]
        )
    return unsubscription


def catch_up_window() -> timedelta:
    return timedelta(days=_setting("NOTIFICATIONS_CATCH_UP_DAYS", 7))


def reminder_plan(*, now: datetime | None = None) -> dict[str, int]:
    """Create every reminder that is due now; return counts (created, skipped, existing).

    A reminder missed while the system was down is still sent when it makes
    sense (before its ``expires_at``, and only the latest one per person and
    occurrence); otherwise its row is "skipped (too late)". One transaction per
    subject; dedupe keys make a concurrent or repeated run a no-op.
    """
    now = now or timezone.now()
    since = now - catch_up_window()
    counts = {"created": 0, "skipped": 0, "existing": 0}
    rules = list(ReminderRule.objects.filter(is_active=True).order_by("subject", "pk"))
    by_subject: dict[str, list[ReminderRule]] = {}
    for rule in rules:
        by_subject.setdefault(rule.subject, []).append(rule)
    for subject_rules in by_subject.values():
        candidates = [
            (reminder, rule)
            for rule in subject_rules
            for reminder in subject_reminders(rule=rule, since=since, until=now)
            if reminder.since_at is None or reminder.since_at <= reminder.due_at
        ]
        if candidates:
            with transaction.atomic(durable=True):
                for key, value in _reminders_add(candidates, now=now).items():
                    counts[key] += value
    return counts


def _reminders_add(candidates, *, now: datetime) -> dict[str, int]:
    assert transaction.get_connection().in_atomic_block
    counts = {"created": 0, "skipped": 0, "existing": 0}
    keys = [reminder.dedupe_key for reminder, _rule in candidates]
    existing = set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    latest: dict[str, datetime] = {}
    for reminder, _rule in candidates:
        group = reminder.group or reminder.dedupe_key
        latest[group] = max(latest.get(group, reminder.due_at), reminder.due_at)
    # Sorted inserts: two planners racing wait for each other instead of deadlocking.
    for reminder, rule in sorted(candidates, key=lambda pair: pair[0].dedupe_key):
        if reminder.dedupe_key in existing:
            counts["existing"] += 1
            continue
        superseded = reminder.due_at < latest[reminder.group or reminder.dedupe_key]
        expired = reminder.expires_at is not None and reminder.expires_at <= now
        skip_reason = Message.SkipReason.TOO_LATE if superseded or expired else ""
        message = _message_add(
            kind=reminder.kind,
            recipient=reminder.recipient,
            email=reminder.email,
            template=rule.template,
            context=reminder.context,
            language=None,
            due_at=reminder.due_at,
            dedupe_key=reminder.dedupe_key,
            optional=True,
            expires_at=reminder.expires_at,
            rule=rule,
            skip_reason=skip_reason,
        )
        if message is None:
            counts["existing"] += 1
        elif skip_reason:
            counts["skipped"] += 1
        else:
            counts["created"] += 1
    return counts
