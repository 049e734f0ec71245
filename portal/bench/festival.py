"""Bench festivals: an event for each of the last 15 editions (the demo made the editions)."""

import datetime

from events.models import Event
from festival.models import Edition

from .common import BENCH_MARK, Plan, bulk, local_moment
from .events import event_status


def seed_festivals(plan: Plan) -> int:
    editions = [
        edition
        for edition in Edition.objects.filter(
            event__isnull=True, year__in=list(plan.years)
        ).order_by("year")
    ]
    events = bulk(
        Event,
        (
            Event(
                kind=Event.Kind.FESTIVAL,
                title=f"第{edition.number}届静安公益节{BENCH_MARK}",
                slug=f"bench-festival-{edition.year}",
                summary=edition.theme[:300],
                starts_at=local_moment(edition.starts_on or datetime.date(edition.year, 9, 5), 9),
                ends_at=local_moment(edition.ends_on or datetime.date(edition.year, 9, 5), 17),
                venue_name=f"静安公益节主会场{BENCH_MARK}",
                status=event_status(plan, edition.starts_on or datetime.date(edition.year, 9, 5)),
            )
            for edition in editions
        ),
    )
    for edition, event in zip(editions, events, strict=True):
        edition.event = event
    Edition.objects.bulk_update(editions, ["event"])
    return len(events)
