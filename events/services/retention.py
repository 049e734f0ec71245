"""Personal data kept only as long as needed (PIPL art. 19): the retention job.

The rule (also in docs/privacy.md), with ``cutoff = now - PERSONAL_DATA_RETENTION_DAYS``:

- a **participant** is anonymised when it was created before the cutoff, none of its
  registrations (any status) is at an event ending after the cutoff, and no app
  above events holds it (a "keeper": volunteers keeps participants linked to a
  volunteer record, the caravan keeps people on duty at a booth on or after the
  cutoff date). Its registrations' snapshots are anonymised with it.
- a **visitor registration** is anonymised when its event ended before the cutoff
  and the same mobile has no visitor registration at an event ending after it.

Anonymising replaces the name with a placeholder and clears mobile, e-mail and the
hours note; status, seat, hours, check-in times and the event stay, so counts,
hours and attendance figures do not change. Rows already anonymised are never
selected again (idempotent). Work runs in batches, each in its own transaction.
Nothing here logs a name, a mobile or an e-mail: only counts.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..models import Participant, Registration

logger = logging.getLogger(__name__)

# (cutoff) -> participant pks to keep (a queryset of pks or any iterable of ints).
Keeper = Callable[[datetime.datetime], Iterable[int]]
# (participant pks) -> None: erase what an app above events keeps about them.
Eraser = Callable[[list[int]], None]

_keepers: dict[str, Keeper] = {}
_erasers: dict[str, Eraser] = {}


def register_keeper(name: str, keeper: Keeper) -> None:
    """An app above events keeps participants it still needs (called from ``ready()``)."""
    _keepers[name] = keeper


def register_eraser(name: str, eraser: Eraser) -> None:
    """An app above events erases its own personal data about anonymised participants."""
    _erasers[name] = eraser


def placeholder_name() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("(anonymised)")


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def participants_due(cutoff: datetime.datetime) -> QuerySet[Participant]:
    recent = Registration.objects.filter(participant=OuterRef("pk"), event__ends_at__gte=cutoff)
    queryset = Participant.objects.filter(
        anonymised_at__isnull=True, created_at__lt=cutoff
    ).exclude(Exists(recent))
    for keeper in _keepers.values():
        queryset = queryset.exclude(pk__in=keeper(cutoff))
    return queryset.order_by("pk")


def visitor_registrations_due(cutoff: datetime.datetime) -> QuerySet[Registration]:
    recent = Registration.objects.filter(
        participant__isnull=True, mobile=OuterRef("mobile"), event__ends_at__gte=cutoff
    )
    return (
        Registration.objects.filter(
            participant__isnull=True, anonymised_at__isnull=True, event__ends_at__lt=cutoff
        )
        .exclude(Exists(recent))
        .order_by("pk")
    )


@dataclass
class PurgeResult:
    participants: int = 0
    registrations: int = 0
    participant_ids: list[int] = field(default_factory=list)
    registration_ids: list[int] = field(default_factory=list)


def _anonymised_registration_fields(now: datetime.datetime) -> dict:
    return {
        "name": placeholder_name(),
        "mobile": "",
        "email": "",
        "hours_note": "",
        "anonymised_at": now,
    }


@transaction.atomic(durable=True)
def _anonymise_participant_batch(pks: list[int], now: datetime.datetime) -> tuple[int, int]:
    locked = list(
        Participant.objects.select_for_update()
        .filter(pk__in=pks, anonymised_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if not locked:
        return 0, 0
    done = Participant.objects.filter(pk__in=locked).update(
        name=placeholder_name(), mobile="", is_active=False, anonymised_at=now
    )
    registrations = Registration.objects.filter(
        participant_id__in=locked, anonymised_at__isnull=True
    ).update(**_anonymised_registration_fields(now))
    for eraser in _erasers.values():
        eraser(locked)
    return done, registrations


@transaction.atomic(durable=True)
def _anonymise_visitor_batch(pks: list[int], now: datetime.datetime) -> int:
    locked = list(
        Registration.objects.select_for_update()
        .filter(pk__in=pks, anonymised_at__isnull=True, participant__isnull=True)
        .values_list("pk", flat=True)
    )
    return Registration.objects.filter(pk__in=locked).update(**_anonymised_registration_fields(now))


def anonymise_participants(pks: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Anonymise these participants (and their registrations) now, whatever the rule says.

    Used by the staff "erase this person's data" admin action; returns how many.
    """
    now = now or timezone.now()
    done, _registrations = _anonymise_participant_batch(list(pks), now)
    logger.info("personal data erased on request: %d participants", done)
    return done


def anonymise_visitor_registrations(pks: Iterable[int], *, now=None) -> int:
    """Anonymise these visitor registrations now (the staff erase action); returns how many."""
    done = _anonymise_visitor_batch(list(pks), now or timezone.now())
    logger.info("personal data erased on request: %d visitor registrations", done)
    return done


def personal_data_purge(
    *, now: datetime.datetime | None = None, dry_run: bool = False, batch_size: int | None = None
) -> PurgeResult:
    """Anonymise what the retention rule says is due; ``dry_run`` only lists the pks."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    batch_size = batch_size or settings.PERSONAL_DATA_PURGE_BATCH
    result = PurgeResult()
    if dry_run:
        result.participant_ids = list(participants_due(cutoff).values_list("pk", flat=True))
        result.registration_ids = list(
            visitor_registrations_due(cutoff).values_list("pk", flat=True)
        )
        result.participants = len(result.participant_ids)
        result.registrations = len(result.registration_ids)
        return result
    while pks := list(participants_due(cutoff).values_list("pk", flat=True)[:batch_size]):
        done, registrations = _anonymise_participant_batch(pks, now)
        result.participants += done
        result.registrations += registrations
        if not done:
            break
    while pks := list(visitor_registrations_due(cutoff).values_list("pk", flat=True)[:batch_size]):
        done = _anonymise_visitor_batch(pks, now)
        result.registrations += done
        if not done:
            break
    logger.info(
        "personal data retention: %d participants, %d registrations anonymised",
        result.participants,
        result.registrations,
    )
    return result
