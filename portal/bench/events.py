"""Bench events: trainings (4 per alliance a year), outreach days, and ~100k registrations."""

import datetime
from decimal import Decimal

from alliances.models import Alliance
from events.models import Event, Participant, Registration
from federation.models import Street

from .common import BENCH_MARK, Plan, bulk, local_moment, mobile

OUTREACH_PER_YEAR = 40
VISITOR_MOBILE_BASE = 90_000_000


def event_status(plan: Plan, day: datetime.date) -> str:
    return Event.Status.COMPLETED if day < plan.today else Event.Status.PUBLISHED


def _event(plan: Plan, day: datetime.date, **fields) -> Event:
    starts = local_moment(day, 14)
    return Event(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=event_status(plan, day),
        venue_name=f"静安区社会组织服务中心{BENCH_MARK}",
        address="上海市静安区虚构路1号",
        **fields,
    )


def seed_trainings(plan: Plan) -> list[Event]:
    """Four trainings per alliance per year, in the middle month of each quarter."""
    rows = []
    for alliance in Alliance.objects.order_by("position", "pk"):
        for year in plan.years:
            for quarter in range(4):
                day = datetime.date(year, quarter * 3 + 2, 10 + alliance.position % 10)
                rows.append(
                    _event(
                        plan,
                        day,
                        kind=Event.Kind.TRAINING,
                        title=f"{alliance.name_zh}{year}年第{quarter + 1}季度培训{BENCH_MARK}",
                        slug=f"bench-training-{alliance.code}-{year}-q{quarter + 1}",
                        summary="基准测试用虚构培训。",
                        alliance=alliance,
                        audience=Event.Audience.MEMBERS,
                        capacity=200,
                    )
                )
    return bulk(Event, rows)


def seed_outreach(plan: Plan) -> list[Event]:
    """Public outreach days open to visitors, spread over the years and the streets."""
    streets = list(Street.objects.order_by("code"))
    rows = []
    for year in plan.years:
        for number in range(OUTREACH_PER_YEAR):
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=number * 9 + 3)
            rows.append(
                _event(
                    plan,
                    day,
                    kind=Event.Kind.OUTREACH,
                    title=f"社区公益服务日{year}-{number + 1}{BENCH_MARK}",
                    slug=f"bench-outreach-{year}-{number + 1}",
                    summary="基准测试用虚构公益活动。",
                    street=streets[number % len(streets)] if streets else None,
                    audience=Event.Audience.PUBLIC,
                    visitor_signup=True,
                    capacity=200,
                )
            )
    return bulk(Event, rows)


def _registration(plan: Plan, event: Event, seat: int, person) -> Registration:
    past = event.starts_at.date() < plan.today
    status = Registration.Status.CONFIRMED
    if past:
        status = Registration.Status.NO_SHOW if seat % 10 == 0 else Registration.Status.ATTENDED
    attended = status == Registration.Status.ATTENDED
    fields = {}
    if isinstance(person, Participant):
        fields = {"participant_id": person.pk, "organisation_id": person.organisation_id}
        name, phone = person.name, person.mobile
    else:
        name, phone = f"访客{person}{BENCH_MARK}", mobile(VISITOR_MOBILE_BASE + person)
    return Registration(
        event=event,
        name=name,
        mobile=phone,
        status=status,
        seat=seat,
        created_at=event.starts_at - datetime.timedelta(days=7),
        checked_in_at=event.starts_at if attended else None,
        hours=Decimal("2.00") if attended else None,
        **fields,
    )


def seed_registrations(plan: Plan, events: list[Event], participants: list[Participant]) -> int:
    """``plan.registrations`` seats spread evenly: participants for member events, visitors

    for public ones; within an event every person and every seat appears once.
    """
    if not events:
        return 0
    per_event, extra = divmod(plan.registrations, len(events))
    rows, visitor = [], 0
    for index, event in enumerate(events):
        count = per_event + (index < extra)
        members_only = event.audience == Event.Audience.MEMBERS and participants
        count = min(count, len(participants)) if members_only else count
        for seat in range(1, count + 1):
            if members_only:
                person = participants[(index * 7 + seat) % len(participants)]
            else:
                visitor += 1
                person = visitor
            rows.append(_registration(plan, event, seat, person))
        if event.capacity is not None and count > event.capacity:
            event.capacity = count
            Event.objects.filter(pk=event.pk).update(capacity=count)
    return len(bulk(Registration, rows))
