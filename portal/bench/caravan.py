"""Bench caravans: one monthly series over 15 years, with booths, hosts, posts and shifts."""

import datetime

from caravan.models import (
    BoothApplication,
    BoothSlot,
    Caravan,
    Series,
    ServiceKind,
    ServiceRecord,
    Shift,
    VolunteerPost,
)
from events.models import Event
from federation.models import Organisation, Street

from .common import BENCH_MARK, Plan, bulk, local_moment
from .events import event_status

POSTS = [("引导员", 8, 12), ("秩序维护", 9, 12)]  # title, shift start and end hours
SHIFT_HEADCOUNT = 30


def _third_saturday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(5 - first.weekday()) % 7 + 14)


def _series() -> Series:
    street = Street.objects.order_by("code").first()
    return Series.objects.create(
        title=f"基准测试公益大篷车{BENCH_MARK}",
        venues=f"虚构广场{BENCH_MARK} | 上海市静安区虚构路2号",
        street=street,
        is_active=False,
    )


def _caravan_events(plan: Plan, series: Series) -> list[tuple[datetime.date, Event]]:
    days = [_third_saturday(year, month) for year in plan.years for month in range(1, 13)]
    events = bulk(
        Event,
        (
            Event(
                kind=Event.Kind.CARAVAN,
                title=f"公益大篷车{day:%Y-%m}{BENCH_MARK}",
                slug=f"bench-caravan-{day:%Y%m%d}",
                summary=series.title,
                starts_at=local_moment(day, 9),
                ends_at=local_moment(day, 11, 30),
                venue_name=f"虚构广场{BENCH_MARK}",
                address="上海市静安区虚构路2号",
                street=series.street,
                status=event_status(plan, day),
            )
            for day in days
        ),
    )
    return list(zip(days, events, strict=True))


def _shift_events(plan: Plan, caravans: list[tuple[datetime.date, Event]]) -> list[Event]:
    return bulk(
        Event,
        (
            Event(
                kind=Event.Kind.VOLUNTEER_SHIFT,
                title=f"志愿岗位：{title} · {event.title}",
                slug=f"{event.slug}-post{number}",
                starts_at=local_moment(day, start),
                ends_at=local_moment(day, end),
                venue_name=event.venue_name,
                address=event.address,
                street=event.street,
                audience=Event.Audience.MEMBERS,
                capacity=SHIFT_HEADCOUNT,
                status=event_status(plan, day),
            )
            for day, event in caravans
            for number, (title, start, end) in enumerate(POSTS, start=1)
        ),
    )


def _booths(plan: Plan, caravans: list[Caravan], kinds: list[ServiceKind]) -> int:
    slots = bulk(
        BoothSlot, (BoothSlot(caravan=c, service_kind=kind) for c in caravans for kind in kinds)
    )
    hosts = list(
        Organisation.objects.filter(status=Organisation.Status.ACTIVE, slug__startswith="bench-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not hosts:
        return len(slots)
    by_pk = {c.pk: c for c in caravans}
    applications = bulk(
        BoothApplication,
        (
            BoothApplication(
                slot=slot,
                organisation_id=hosts[index % len(hosts)],
                status=BoothApplication.Status.CONFIRMED,
                applied_at=local_moment(by_pk[slot.caravan_id].held_on, 9)
                - datetime.timedelta(days=20),
            )
            for index, slot in enumerate(slots)
        ),
    )
    bulk(
        ServiceRecord,
        (
            ServiceRecord(
                application=application,
                service_kind_id=application.slot.service_kind_id,
                organisation_id=application.organisation_id,
                held_on=by_pk[application.slot.caravan_id].held_on,
                people_served=10 + index % 40,
            )
            for index, application in enumerate(applications)
            if by_pk[application.slot.caravan_id].held_on < plan.today
        ),
    )
    return len(slots)


def seed_caravans(plan: Plan) -> list[Event]:
    """Caravans with their booth slots (hosted, with service records) and volunteer shifts;

    returns the shift events (registrations go there).
    """
    series = _series()
    pairs = _caravan_events(plan, series)
    caravans = bulk(
        Caravan,
        (
            Caravan(
                event=event,
                series=series,
                scheduled_on=day,
                held_on=day,
                withdraw_until=local_moment(day - datetime.timedelta(days=3), 18),
            )
            for day, event in pairs
        ),
    )
    kinds = list(ServiceKind.objects.filter(is_active=True).order_by("position", "pk"))
    _booths(plan, caravans, kinds)
    shifts = _shift_events(plan, pairs)
    posts = bulk(
        VolunteerPost,
        (VolunteerPost(event=event, title=title) for _day, event in pairs for title, *_ in POSTS),
    )
    bulk(Shift, (Shift(post=post, event=shift) for post, shift in zip(posts, shifts, strict=True)))
    return shifts
