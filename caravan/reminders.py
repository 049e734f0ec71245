"""The caravan's reminder rules, registered with the outbox in ``CaravanConfig.ready()``.

- ``booth_open_slots``: N days (14) before a published caravan with open slots,
  the admins of organisations that can host an open kind: for a kind needing a
  qualification, those with a person holding it valid on the day; otherwise
  those who have hosted that kind before;
- ``booth_qualification_expiring``: N days (10) before the day, the host of a
  booth whose people no longer hold the required qualification on the day;
- ``service_records_missing``: N days after (offset -3), the host of a
  confirmed booth without a service record.

Each rule asks the app's own selectors and models; the moment is the caravan's
local date (``held_on``).
"""

import datetime
from collections import defaultdict

from django.urls import reverse

from core.links import absolute_url
from events.models import Event
from federation.models import OrganisationMember
from notifications.reminders import Reminder, local_due_at, moment_range

from .models import BoothApplication, BoothSlot, Caravan, Qualification
from .selectors import host_of, qualification_state


def _due(day: datetime.date, rule) -> datetime.datetime:
    return local_due_at(day, offset_days=rule.offset_days, time_of_day=rule.time_of_day)


def _context(caravan: Caravan) -> dict:
    event = caravan.event
    return {
        "caravan_title": event.title,
        "held_on": caravan.held_on,
        "starts_at": event.starts_at,
        "venue": " ".join(part for part in (event.venue_name, event.address) if part),
        "my_url": absolute_url(reverse("caravan:my-booth-list")),
    }


def _caravans(rule, since, until, *, statuses=(Event.Status.PUBLISHED,)):
    first, last = moment_range(since=since, until=until, offset_days=rule.offset_days)
    return list(
        Caravan.objects.filter(held_on__gte=first, held_on__lte=last, event__status__in=statuses)
        .select_related("event")
        .order_by("held_on", "pk")
    )


def _admins_by_organisation(organisation_ids) -> dict[int, list]:
    admins = defaultdict(list)
    for member in (
        OrganisationMember.objects.filter(
            organisation_id__in=set(organisation_ids),
            role=OrganisationMember.Role.ADMIN,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    ):
        admins[member.organisation_id].append(member.user)
    return admins


# --- open slots -------------------------------------------------------------------------


def _able_organisations(caravan: Caravan, kinds) -> dict[int, set[str]]:
    """Organisation id -> names of open kinds it can host on the caravan's day."""
    able: dict[int, set[str]] = defaultdict(set)
    for kind in kinds:
        if kind.qualification:
            ids = Qualification.objects.filter(
                kind=kind.qualification,
                expires_on__gte=caravan.held_on,
                participant__is_active=True,
                participant__organisation__status="active",
            ).values_list("participant__organisation_id", flat=True)
        else:
            ids = BoothApplication.objects.filter(
                status=BoothApplication.Status.CONFIRMED, slot__service_kind=kind
            ).values_list("organisation_id", flat=True)
        for organisation_id in set(ids):
            able[organisation_id].add(kind.name_zh)
    return able


def booth_open_slots(*, rule, since, until):
    for caravan in _caravans(rule, since, until):
        open_kinds = {
            slot.service_kind
            for slot in BoothSlot.objects.filter(caravan=caravan)
            .exclude(applications__status__in=BoothApplication.LIVE_STATUSES)
            .select_related("service_kind")
        }
        if not open_kinds:
            continue
        able = _able_organisations(caravan, open_kinds)
        admins = _admins_by_organisation(able)
        for organisation_id, names in sorted(able.items()):
            for user in admins.get(organisation_id, []):
                occurrence = f"booth_open_slots:caravan:{caravan.pk}:user:{user.pk}"
                yield Reminder(
                    kind="booth_open_slots",
                    dedupe_key=f"{occurrence}:d{rule.offset_days}",
                    due_at=_due(caravan.held_on, rule),
                    context=_context(caravan) | {"services": "、".join(sorted(names))},
                    recipient=user,
                    group=occurrence,
                    expires_at=caravan.event.starts_at,
                )


# --- qualification expiring -------------------------------------------------------------


def booth_qualification_expiring(*, rule, since, until):
    caravans = _caravans(rule, since, until)
    slots = list(
        BoothSlot.objects.filter(caravan__in=caravans, service_kind__qualification__gt="")
        .select_related("caravan__event", "service_kind")
        .prefetch_related("applications__people__qualifications")
        .order_by("pk")
    )
    flagged = []
    for slot in slots:
        host = host_of(slot)
        if host is not None and qualification_state(slot, host) == "invalid":
            flagged.append((slot, host))
    admins = _admins_by_organisation(host.organisation_id for _slot, host in flagged)
    for slot, host in flagged:
        for user in admins.get(host.organisation_id, []):
            occurrence = f"booth_qualification_expiring:application:{host.pk}:user:{user.pk}"
            yield Reminder(
                kind="booth_qualification_expiring",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=_due(slot.caravan.held_on, rule),
                context=_context(slot.caravan) | {"service": slot.service_kind.name_zh},
                recipient=user,
                group=occurrence,
                expires_at=slot.caravan.event.starts_at,
            )


# --- records missing --------------------------------------------------------------------


def service_records_missing(*, rule, since, until):
    caravans = _caravans(
        rule, since, until, statuses=(Event.Status.PUBLISHED, Event.Status.COMPLETED)
    )
    applications = list(
        BoothApplication.objects.filter(
            slot__caravan__in=caravans,
            status=BoothApplication.Status.CONFIRMED,
            record__isnull=True,
        )
        .select_related("slot__caravan__event", "slot__service_kind")
        .order_by("pk")
    )
    admins = _admins_by_organisation(a.organisation_id for a in applications)
    for application in applications:
        caravan = application.slot.caravan
        for user in admins.get(application.organisation_id, []):
            occurrence = f"service_records_missing:application:{application.pk}:user:{user.pk}"
            yield Reminder(
                kind="service_records_missing",
                dedupe_key=f"{occurrence}:d{rule.offset_days}",
                due_at=_due(caravan.held_on, rule),
                context=_context(caravan) | {"service": application.slot.service_kind.name_zh},
                recipient=user,
                group=occurrence,
            )
